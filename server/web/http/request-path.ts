// The request's path and query as the custom server received it (server/web/main.ts sets
// it on every request, replacing anything the client sent), for pages that need to know
// where a visitor was going: the sign-in redirect's ?next=.
export const REQUEST_PATH_HEADER = "x-hangar-path";
