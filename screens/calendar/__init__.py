"""The tax calendar (налоговый календарь) of the active organisation, and the dialog that
turns a deadline into a task. The app and «Сводка» open it by module path."""
