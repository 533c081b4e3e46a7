"""Public pages. Every record and list starts from `.public()`; views stay thin."""

from .explore import explore, graph_json
from .lists import about, browse, browse_csv, home, search_csv, search_page
from .records import attached_file, cite, detail, export
from .site import robots_txt, set_language, sitemap, sitemap_section

__all__ = [
    "about",
    "attached_file",
    "browse",
    "browse_csv",
    "cite",
    "detail",
    "explore",
    "export",
    "graph_json",
    "home",
    "robots_txt",
    "search_csv",
    "search_page",
    "set_language",
    "sitemap",
    "sitemap_section",
]
