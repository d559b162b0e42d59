"""A mail backend for tests whose server is down (for a number of tries, or for good)."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FailingBackend(EmailBackend):
    attempts = 0
    # How many sends fail before the server is back; None: it never comes back.
    failures = None

    def send_messages(self, messages):
        cls = type(self)
        cls.attempts += 1
        if cls.failures is None or cls.attempts <= cls.failures:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
