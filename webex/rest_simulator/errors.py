"""Error replies shaped as the Webex REST API sends them: message, errors[].description, trackingId."""

from __future__ import annotations

import uuid

from aiohttp import web

MESSAGES = {
    400: "The request could not be understood by the server due to malformed syntax. See 'errors' for more details.",
    401: "The request requires a valid access token set in the Authorization request header.",
    403: "The server understood the request, but refused to fulfill it because the access token is missing required "
    "scopes or the user is missing required roles or licenses.",
    404: "The requested resource could not be found.",
    409: "The request could not be processed because it conflicts with some established rule of the system.",
    423: "The requested resource is temporarily unavailable.",
    429: "Too many requests have been sent in a given amount of time and the request has been rate limited.",
    500: "Something went wrong on the server.",
    502: "The server received an invalid response from an upstream server while processing the request.",
    503: "Server is overloaded with requests. Try again later.",
    504: "An upstream server failed to respond on time.",
}
INVALID_ITEMS = "The input parameters contain invalid items."


class ApiError(Exception):
    """Raised by a handler; the server turns it into the API's error reply."""

    def __init__(self, status: int, description: str, *, message: str = "", retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.message = message or MESSAGES.get(status, "Error")
        self.retry_after = retry_after


def invalid(description: str) -> ApiError:
    """A 400 for a request whose fields break the API's rules."""
    return ApiError(400, description, message=INVALID_ITEMS)


def tracking_id(request: web.Request) -> str:
    """The client's own TrackingID header when it sent one, as Webex echoes it; else a fresh id."""
    return request.headers.get("TrackingID") or f"SIMULATOR_{uuid.uuid4()}"


def error_response(request: web.Request, error: ApiError) -> web.Response:
    tracking = tracking_id(request)
    body = {"message": error.message, "errors": [{"description": error.description}], "trackingId": tracking}
    headers = {"trackingid": tracking}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return web.json_response(body, status=error.status, headers=headers)
