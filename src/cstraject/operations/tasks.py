"""Background tasks on django-tasks (`TASKS` in settings: the database backend with
`cstraject db-worker` in production, the immediate backend in the demo and tests)."""

from django_tasks import task, task_backends

from .models import NotificationStatus
from .notifications import notification_send


@task()
def notification_send_task(notification_id: int) -> str:
    notification = notification_send(notification_id=notification_id)
    if notification.status == NotificationStatus.FAILED and notification.next_attempt_at is not None:
        backend = task_backends[notification_send_task.backend]
        if backend.supports_defer:
            notification_send_task.using(run_after=notification.next_attempt_at).enqueue(notification_id)
    return notification.status
