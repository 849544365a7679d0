"""Provides Choice: one of a few values chosen with ← → in place, for short fixed lists."""

from __future__ import annotations

from textual import events
from textual.reactive import reactive
from textual.widgets import Static


class Choice(Static, can_focus=True):
    """One of a few values, shown «‹ обычный ›»: ← → (or space) choose (a task's priority,
    a support request's topic).

    The keys are handled by the field that got them (not as bindings, which the app
    resolves against whatever has the focus when it gets to them: in a burst, the next
    field)."""

    STEPS = {"left": -1, "right": 1, "space": 1}
    index: reactive[int] = reactive(0)

    def __init__(self, choices: list[tuple[str | None, str]], value: str | None = None, *,
                 id: str | None = None) -> None:
        super().__init__("", id=id)
        self.choices = choices
        self.set_value(value)

    @property
    def value(self) -> str | None:
        return self.choices[self.index][0] if self.choices else None

    def set_value(self, value: str | None) -> None:
        keys = [key for key, _ in self.choices]
        self.index = keys.index(value) if value in keys else 0
        self.mutate_reactive(Choice.index)

    def set_choices(self, choices: list[tuple[str | None, str]], value: str | None) -> None:
        self.choices = choices
        self.set_value(value)

    def render(self) -> str:
        if not self.choices:
            return "…"
        return f"‹ {self.choices[self.index][1]} ›"

    def on_key(self, event: events.Key) -> None:
        step = self.STEPS.get(event.key)
        if step is not None:
            event.stop()
            event.prevent_default()
            self.action_step(step)

    def action_step(self, step: int) -> None:
        if self.choices:
            self.index = (self.index + step) % len(self.choices)
