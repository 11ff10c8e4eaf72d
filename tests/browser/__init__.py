"""Browser tests (Playwright + Chromium + axe-core). A package, so its conftest does not shadow tests/conftest.py."""
