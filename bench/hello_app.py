"""The baseline for bench/http_pages.py: a bare Flask "hello", served by gunicorn exactly like the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
