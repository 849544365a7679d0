"""Provides TaskFormScreen: a new task, or the fields of one changed; F2 saves.

Title, description, assignee (a member of the organisation, ← → choose), due date
(empty: none), priority and repetition (← → choose). Enter and Tab move on.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Static

from client.i18n import t
from core import contract as m
from core.validation import InvalidInput
from screens.tasks.common import PRIORITIES, REPEATS, priority_name, repeat_name
from tui.errors import field_of, invalid_text
from tui.screen import FormScreen
from tui.styles import sheets
from tui.widgets.choice import Choice as ChoiceField
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.limits import max_length
from tui.workers import Done, Failed


class FormTeam(Done[m.Team]):
    """The organisation's members, to choose the assignee from."""


class TaskSaved(Done[m.TaskOut]):
    """The task was created or changed."""


class TaskRefused(Failed):
    """The server refused the task."""


FIELDS = {"title": "title", "description": "description", "due": "due",
          "assignee_id": "assignee", "priority": "priority", "repeat": "repeat"}


class TaskFormScreen(FormScreen):
    """A new task (``task`` None) or the task's fields changed."""

    CSS_PATH = sheets("tasks")
    FIRST_FIELD = "#title"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="taskform.back"),
        Binding("f2", "save", "tasks.key.save", id="taskform.save"),
        # Enter and Tab move on at once, so that a key typed right after them lands in the
        # next field (a screen's plain Tab would wait behind the keys queued for this one).
        Binding("enter", "next_field", "tasks.key.next", id="taskform.next", show=False,
                priority=True),
        Binding("tab", "app.focus_next", "tasks.key.next", id="taskform.tab", show=False,
                priority=True),
        Binding("shift+tab", "app.focus_previous", "tasks.key.previous", id="taskform.back_tab",
                show=False, priority=True),
        Binding("f8", "app.mailbox", "app.mailbox", id="taskform.mailbox", show=False),
    ]

    def __init__(self, task: m.TaskOut | None = None) -> None:
        super().__init__()
        self.editing = task

    def compose(self) -> ComposeResult:
        task = self.editing
        yield Header()
        with VerticalScroll(id="task-form"):
            yield Static(t("tasks.edit_title") if task else t("tasks.new_title"),
                         classes="form-title")
            yield FormRow(t("tasks.field.title"),
                          Input(task.title if task else "", id="title", compact=True,
                                max_length=max_length(m.TaskIn, "title")))
            yield FormRow(t("tasks.field.description"),
                          Input((task.description or "") if task else "", id="description",
                                compact=True, max_length=max_length(m.TaskIn, "description")))
            assignee = ([(task.assignee_id, task.assignee_email)] if task else [])
            yield FormRow(t("tasks.field.assignee"),
                          ChoiceField(assignee, id="assignee"))
            yield FormRow(t("tasks.field.due"),
                          DateInput(task.due if task else None, id="due", compact=True,
                                    placeholder=t("tasks.due_placeholder")))
            yield FormRow(t("tasks.field.priority"), ChoiceField(
                [(p, priority_name(p)) for p in PRIORITIES],
                task.priority if task else "normal", id="priority"))
            yield FormRow(t("tasks.field.repeat"), ChoiceField(
                [(r, repeat_name(r)) for r in REPEATS], task.repeat if task else "none",
                id="repeat"))
            yield Static(t("tasks.form_hint"), classes="hint")
            yield from self.form_end(Button(t("tasks.key.save"), id="submit",
                                            variant="primary"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # (FormScreen.on_mount, run after this one, puts the cursor in the title.)
        org_id = self._org_id()
        if org_id is not None:
            self.call_api(lambda api: api.orgs.team(org_id), done=FormTeam)

    def _org_id(self) -> str | None:
        return self.editing.org_id if self.editing else self.buhta.require_org()

    @on(FormTeam)
    def _team(self, message: FormTeam) -> None:
        members = [(p.user_id, p.email) for p in message.result.members
                   if p.status == "active"]
        field = self.query_one("#assignee", ChoiceField)
        me = next((p.user_id for p in message.result.members if p.you), None)
        field.set_choices(members, self.editing.assignee_id if self.editing else me)

    def action_next_field(self) -> None:
        if isinstance(self.focused, Button):
            self.action_save()
        else:
            self.focus_next()

    # --- saving -----------------------------------------------------------------------

    def _collect(self) -> tuple[dict[str, Any], tuple[str, str] | None]:
        data: dict[str, Any] = {
            "title": self.query_one("#title", Input).value,
            "description": self.query_one("#description", Input).value.strip() or None,
            "priority": self.query_one("#priority", ChoiceField).value,
            "repeat": self.query_one("#repeat", ChoiceField).value,
        }
        assignee = self.query_one("#assignee", ChoiceField).value
        if assignee:
            data["assignee_id"] = assignee
        due = self.query_one("#due", DateInput)
        if due.value.strip():
            try:
                data["due"] = due.day
            except InvalidInput as exc:
                return data, ("due", invalid_text(exc))
        else:
            data["due"] = None
        if not data["title"].strip():
            return data, ("title", t("validation.required"))
        return data, None

    def _patch(self, task: m.TaskOut, data: dict[str, Any]) -> m.TaskPatch:
        """Only what changed."""
        was = {"title": task.title, "description": task.description, "due": task.due,
               "priority": task.priority, "repeat": task.repeat,
               "assignee_id": task.assignee_id}
        changed = {k: v for k, v in data.items() if k in was and v != was[k]}
        return m.TaskPatch.model_validate(changed)

    def action_save(self) -> None:
        if not self.start():
            return
        data, problem = self._collect()
        if problem:
            self.fail(*problem)
            return
        org_id = self._org_id()
        if org_id is None:
            return
        task = self.editing
        try:
            body: m.TaskIn | m.TaskPatch = (self._patch(task, data) if task
                                            else m.TaskIn.model_validate(data))
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        if task is not None:
            patch = body
            assert isinstance(patch, m.TaskPatch)
            if not patch.model_fields_set:
                self.dismiss(None)
                return
            self.call_api(lambda api: api.tasks.change(org_id, task.id, patch),
                          done=TaskSaved, failed=TaskRefused)
        else:
            new = body
            assert isinstance(new, m.TaskIn)
            self.call_api(lambda api: api.tasks.create(org_id, new), done=TaskSaved,
                          failed=TaskRefused)

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(TaskSaved)
    def _saved(self, message: TaskSaved) -> None:
        task = message.result
        self.app.notify(t("tasks.saved", title=task.title))
        self.dismiss(task)

    @on(TaskRefused)
    def _refused(self, message: TaskRefused) -> None:
        error = message.error
        field = {"tasks.repeat_needs_due": "due", "tasks.assignee_not_member": "assignee",
                 "tasks.assignee_no_payroll": "assignee"}.get(error.code)
        if field == "due":
            self.fail(field, error.detail)
        else:
            self.show_refusal(error)

    def action_back(self) -> None:
        self.dismiss(None)
