"""Background jobs: long work started from the web (screening, register imports, large reports), run as
django-tasks tasks, with who started it, its status, progress, error and result (`BackgroundJob`)."""
