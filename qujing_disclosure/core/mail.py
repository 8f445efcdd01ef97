"""Mail leaves through Celery after the commit, never from inside a web request.

`send_mail_on_commit(subject=…, body=…, recipients=[…])` is the one way our code sends mail:
once the transaction commits it enqueues the `core.send_mail` task (core/tasks.py), which sends
through the EMAIL_URL server and retries a failing SMTP server with back-off. A rolled-back
change sends nothing; a slow or dead mail server never slows or breaks the user's request.

If the broker cannot take the message, core.queue logs it (with subject and recipients, so an
operator can resend) and the request carries on: a notification is a courtesy, the state it
announces is visible in the portal. A later notifications feature builds on this function.
"""
from collections.abc import Iterable

from .queue import enqueue_on_commit

SEND_MAIL_TASK = "core.send_mail"


def send_mail_on_commit(*, subject: str, body: str, recipients: Iterable[str], from_email: str | None = None) -> bool:
    """Send one message to `recipients` (empty and repeated addresses dropped) after the commit.

    Returns False when there is nobody to send to. `subject` and `body` are plain strings in the
    recipient's language (evaluate lazy translations before calling).
    """
    recipients = sorted({address.strip() for address in recipients if address and address.strip()})
    if not recipients:
        return False
    enqueue_on_commit(SEND_MAIL_TASK, subject=str(subject), body=str(body), recipients=recipients, from_email=from_email)
    return True
