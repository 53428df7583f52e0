// Types for the `awslambda` global that the Node.js Lambda runtime installs before it
// loads a handler (aws-lambda-nodejs-runtime-interface-client, src/utils/globals).
// Declared once here; the emulator's built-in runtime client implements the same shape.
import type { Writable } from "node:stream";

declare global {
  namespace awslambda {
    /** The writable the runtime hands a streaming handler (a Writable plus setContentType). */
    interface ResponseStream extends Writable {
      /** Must be called before the first write, else it throws `Cannot set content-type, too late.` */
      setContentType(contentType: string): void;
    }

    interface Context {
      awsRequestId: string;
      functionName: string;
      functionVersion: string;
      invokedFunctionArn: string;
      memoryLimitInMB: string;
      logGroupName: string;
      logStreamName: string;
      getRemainingTimeInMillis(): number;
    }

    type StreamingHandler<TEvent = unknown> = (
      event: TEvent,
      responseStream: ResponseStream,
      context: Context,
    ) => Promise<void>;

    interface HttpResponseMetadata {
      statusCode?: number;
      headers?: Record<string, string>;
      cookies?: string[];
    }

    interface Global {
      /** Marks a handler as streaming: the runtime then calls it with a response stream. */
      streamifyResponse<TEvent = unknown>(
        handler: StreamingHandler<TEvent>,
        options?: { highWaterMark?: number },
      ): StreamingHandler<TEvent>;
      HttpResponseStream: {
        /** Sends `metadata` as a JSON prelude + 8 NUL bytes before the first body byte. */
        from(stream: ResponseStream, metadata: HttpResponseMetadata): ResponseStream;
      };
    }
  }

  // The runtime may be told not to install the global (AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA=1),
  // and plain Node (tests, tools) never has it, so code must read it as optional.
  // `var` is how a property of globalThis is declared.
  var awslambda: awslambda.Global | undefined;
}
