"""One test message for the notifications tests: a registered topic and a real template."""

from notifications import registry, services

registry.register_topic("tests", "Tests")


def say_hello(person, **kwargs):
    return services.notify(
        person,
        topic="tests",
        kind="tests.hello",
        template="notifications/messages/telegram_linked",
        context={"person": person},
        link=("notifications:centre", {}),
        **kwargs,
    )
