"""Typed errors that carry the words a person sees; the app-wide handler shows them."""

from __future__ import annotations


class TwowayError(Exception):
    """An expected failure with a message fit for Slack (no ids, no stack traces)."""

    user_message: str = "Something went wrong."

    def __init__(self, user_message: str | None = None) -> None:
        super().__init__(user_message or self.user_message)
        if user_message:
            self.user_message = user_message


class NotFound(TwowayError):
    user_message = "I couldn't find that. It may have been removed or finished already."


class NotAllowed(TwowayError):
    user_message = "Sorry, you can't do that here."


class InvalidInput(TwowayError):
    """Bad input outside a modal (modal fields get `response_action: errors` instead)."""

    user_message = "That doesn't look right. Try `/mentor help`."
