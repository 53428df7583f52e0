import { describe, expect, it } from "vitest";
import { eventDoor } from "../../src/handler/doors.js";
import { functionUrlEvent, restApiEvent } from "../../src/testing/events.js";

describe("which door an event came through", () => {
  it("tells a Function URL's event, a REST API's proxy event and an SDK's payload apart", () => {
    expect(eventDoor(functionUrlEvent({ path: "/x" }))).toBe("function-url");
    expect(eventDoor(restApiEvent({ path: "/x?a=1&a=2" }))).toBe("rest-api");
    expect(eventDoor({})).toBe("invoke");
    expect(eventDoor(null)).toBe("invoke");
    expect(eventDoor("text")).toBe("invoke");
    // An SDK payload that merely has an httpMethod is not a REST API's event.
    expect(eventDoor({ httpMethod: "GET" })).toBe("invoke");
  });

  it("builds the REST proxy event's fields as API Gateway documents them", () => {
    const event = restApiEvent({ path: "/orders/7?a=1&a=2&b=3", stage: "v1", method: "post" });
    expect(event).toMatchObject({
      resource: "/{proxy+}",
      path: "/orders/7",
      httpMethod: "POST",
      pathParameters: { proxy: "orders/7" },
      queryStringParameters: { a: "2", b: "3" },
      multiValueQueryStringParameters: { a: ["1", "2"], b: ["3"] },
      requestContext: { stage: "v1", path: "/v1/orders/7", resourcePath: "/{proxy+}" },
    });
  });
});
