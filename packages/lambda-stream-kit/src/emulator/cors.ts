// The Function URL's CORS, the same rules a REST API door's function applies itself
// (src/handler/cors.ts holds them, as the function's bundle carries them too).
export { allowedOrigin, isPreflight, preflightHeaders, responseHeaders } from "../handler/cors.js";
