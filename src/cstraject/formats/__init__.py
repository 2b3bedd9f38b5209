"""Django format modules (settings.FORMAT_MODULE_PATH): how dates, times and numbers look per language.

Dutch as written in Belgium (27-11-2026, 14:05, 1.234,56) and English in a European style
(27/11/2026, 14:05, 1,234.56): never the American month-first date or a 12-hour clock.
"""
