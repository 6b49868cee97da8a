"""Sphinx configuration of the course book (copied as ``conf.py`` into the book's source folder
by :func:`homs.book.site.build`). Nothing here may load from the network when the book is
read: no CDN, no web fonts, no analytics, no widget manager; the lessons come executed
(MyST-NB runs nothing), and homs's widgets are drawn by the vendored scripts in ``_static``.
"""

project = "Reading three news texts about Homs, Syria"
author = "The homs developers"
copyright = "the homs developers"
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "conf.py"]

# The notebooks are executed by homs.book.site before Sphinx reads them.
nb_execution_mode = "off"
# homs draws every widget itself (homs-widgets.js); never load ipywidgets' manager from a CDN.
nb_ipywidgets_js: dict = {}
nb_merge_streams = True
# A chart's HTML (an <img> with its alt text) before its bare PNG.
nb_mime_priority_overrides = [("html", "text/html", 5), ("html", "image/png", 20)]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
# The lessons go from a title (H1) to their parts' sections (H3) on purpose.
suppress_warnings = ["myst.header"]

html_theme = "sphinx_book_theme"
html_title = "Homs in three news texts"
html_static_path = ["_static"]
html_js_files = ["homs-widgets.classic.js", "homs-book.js"]
html_css_files = ["homs-widgets.css", "homs-book.css"]
# The theme's download button offers each page's source: for a lesson, the notebook to run in
# JupyterLab (homs.book.site puts the clean lesson there, not the executed copy).
html_copy_source = True
html_sourcelink_suffix = ""
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None
# Plain links between pages (page.html), so the book works when opened from a folder.
html_file_suffix = ".html"
# Light unless the reader switches; homs's passages, charts and questions stay on a light page
# in the dark theme too (homs-book.css).
html_context = {"default_mode": "light"}
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "announcement": "",
}
