"""The «Задачи» mode: «Мои задачи», the organisation's tasks, a task's view and form
(the app opens TasksScreen by its module path, screens.tasks.list:TasksScreen)."""
