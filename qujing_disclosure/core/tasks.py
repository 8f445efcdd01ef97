"""Celery tasks of core: mail delivery (core/mail.py enqueues it by name)."""
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

log = logging.getLogger(__name__)


# Not acks_late: sending is not idempotent, so a worker killed mid-send does not send twice.
# A refusing or unreachable mail server is retried with back-off for about half an hour.
@shared_task(
    name="core.send_mail", autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30,
    retry_backoff_max=600, retry_jitter=True, max_retries=6,
)
def send_mail_task(*, subject, body, recipients, from_email=None):
    sent = send_mail(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    log.info("mail sent: %r to %d recipient(s)", subject, len(recipients))
    return sent
