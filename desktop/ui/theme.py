"""The high-contrast theme: black ground, white text, yellow focus, touch-sized controls.

Chosen for eight-hour shifts under shop lighting: WCAG AAA contrast for text, a focus ring
nobody can miss, buttons at least 64 px high (a fingertip is ~10 mm), and one colour per
meaning (green = pay/OK, red = void/error, amber = warning, cyan = information).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["COLORS", "TOUCH", "apply_theme"]

COLORS = {
    "bg": "#000000",
    "panel": "#121212",
    "raised": "#1e1e1e",
    "text": "#ffffff",
    "muted": "#c8c8c8",
    "focus": "#ffd400",
    "ok": "#00c853",
    "ok_text": "#000000",
    "error": "#ff5252",
    "warn": "#ffab00",
    "info": "#40c4ff",
    "line": "#8a8a8a",
}

TOUCH = 64
"""Minimum height of a button in pixels."""

_QSS = """
* {{ font-size: 18px; color: {text}; }}
QMainWindow, QDialog, QWidget#Screen {{ background: {bg}; }}
QFrame#Panel {{ background: {panel}; border: 2px solid {line}; border-radius: 6px; }}
QLabel#Muted {{ color: {muted}; }}
QLabel#Hero {{ font-size: 34px; font-weight: bold; }}
QLabel#HeroPrice {{ font-size: 30px; font-weight: bold; color: {focus}; }}
QLabel#Total {{ font-size: 46px; font-weight: bold; color: {focus}; }}
QLabel#TotalCaption {{ font-size: 22px; font-weight: bold; }}
QLabel#Big {{ font-size: 26px; font-weight: bold; }}
QLabel#Title {{ font-size: 26px; font-weight: bold; color: {info}; }}
QLabel#Problem {{ background: {error}; color: #000000; font-weight: bold; padding: 10px;
                  border-radius: 4px; }}
QLabel#Notice {{ background: {info}; color: #000000; font-weight: bold; padding: 10px;
                 border-radius: 4px; }}
QLabel#Good {{ background: {ok}; color: #000000; font-weight: bold; padding: 10px;
               border-radius: 4px; }}
QLineEdit, QComboBox, QSpinBox, QPlainTextEdit {{
    background: {raised}; border: 2px solid {line}; border-radius: 4px; padding: 6px 10px;
    min-height: 40px; font-size: 22px; selection-background-color: {focus};
    selection-color: #000000; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 3px solid {focus}; }}
QLineEdit#ScanField {{ font-size: 28px; min-height: 56px; }}
QPushButton {{
    background: {raised}; border: 2px solid {text}; border-radius: 6px; padding: 6px 12px;
    min-height: {touch}px; min-width: 110px; font-size: 19px; font-weight: bold; }}
QPushButton:focus {{ border: 4px solid {focus}; }}
QPushButton:pressed {{ background: {focus}; color: #000000; }}
QPushButton:disabled {{ color: #6e6e6e; border-color: #4a4a4a; }}
QPushButton[role="pay"] {{ background: {ok}; color: {ok_text}; border-color: {ok}; }}
QPushButton[role="danger"] {{ border-color: {error}; color: {error}; }}
QLabel#BtnCaption {{ font-size: 18px; font-weight: bold; color: {text};
    background: transparent; }}
QLabel#BtnKey {{ font-size: 15px; font-weight: bold; color: {focus}; background: transparent; }}
QPushButton[role="pay"] QLabel#BtnCaption {{ color: #000000; font-size: 20px; }}
QPushButton#PayButton QLabel#BtnCaption {{ font-size: 30px; }}
QPushButton[role="pay"] QLabel#BtnKey {{ color: #000000; }}
QPushButton[role="danger"] QLabel#BtnCaption {{ color: {error}; }}
QPushButton:disabled QLabel {{ color: #6e6e6e; }}
QPushButton[role="key"] {{ font-size: 26px; min-width: 72px; }}
QTableView::item {{ padding: 0 6px; }}
QTableView, QListWidget, QListView {{
    background: {panel}; alternate-background-color: #1a1a1a; border: 2px solid {line};
    gridline-color: #333333; font-size: 20px; selection-background-color: {focus};
    selection-color: #000000; outline: 0; }}
QHeaderView::section {{ background: {raised}; color: {muted}; font-weight: bold;
    border: 0; border-bottom: 2px solid {line}; padding: 6px; }}
QListWidget::item, QListView::item {{ min-height: 48px; padding: 4px 8px; }}
QStatusBar, QFrame#StatusBar {{ background: {panel}; border-top: 2px solid {line}; }}
QFrame#StatusBar QLabel {{ font-size: 16px; }}
QFrame#AlertRow {{ background: {error}; }}
QFrame#AlertRow QLabel {{ color: #000000; font-size: 20px; font-weight: bold; }}
QFrame#AlertRow QPushButton {{ background: #000000; min-height: 48px; }}
QLabel[state="ok"] {{ color: {ok}; font-weight: bold; }}
QLabel[state="warn"] {{ color: {warn}; font-weight: bold; }}
QLabel[state="error"] {{ color: {error}; font-weight: bold; }}
QLabel[state="off"] {{ color: {muted}; }}
QTabBar::tab {{ background: {raised}; border: 2px solid {line}; padding: 12px 20px;
    min-height: 36px; }}
QTabBar::tab:selected {{ background: {focus}; color: #000000; }}
QCheckBox::indicator {{ width: 32px; height: 32px; }}
QToolTip {{ background: {focus}; color: #000000; border: 0; }}
"""


def apply_theme(app: QApplication) -> None:
    """Install the palette and the style sheet (fonts with Cyrillic and Romanian glyphs)."""
    families = set(QFontDatabase.families())
    for family in ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Segoe UI", "Arial"):
        if family in families:
            app.setFont(QFont(family, 14))
            break
    pal = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, COLORS["bg"]),
        (QPalette.ColorRole.WindowText, COLORS["text"]),
        (QPalette.ColorRole.Base, COLORS["raised"]),
        (QPalette.ColorRole.AlternateBase, COLORS["panel"]),
        (QPalette.ColorRole.Text, COLORS["text"]),
        (QPalette.ColorRole.Button, COLORS["raised"]),
        (QPalette.ColorRole.ButtonText, COLORS["text"]),
        (QPalette.ColorRole.Highlight, COLORS["focus"]),
        (QPalette.ColorRole.HighlightedText, "#000000"),
        (QPalette.ColorRole.PlaceholderText, COLORS["muted"]),
    ):
        pal.setColor(role, QColor(color))
    app.setPalette(pal)
    app.setStyleSheet(_QSS.format(touch=TOUCH, **COLORS))
