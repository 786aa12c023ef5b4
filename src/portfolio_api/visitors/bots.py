"""Which User-Agents are robots: the one list, so every counter filters the same way.

A request from a robot is answered normally but never counted. The patterns are matched
case-insensitively anywhere in the User-Agent; an empty or missing User-Agent is a robot too
(every browser sends one).
"""

from __future__ import annotations

import re

BOT_PATTERNS: tuple[str, ...] = (
    # Self-declared crawlers: Googlebot, bingbot, DuckDuckBot, Applebot, GPTBot, ClaudeBot...
    # `bot` ends a word or meets `_`; `cubot` is a phone brand, not a robot.
    r"(?<!cu)bot(?:\b|_)",
    r"crawl",
    r"spider",
    r"slurp",
    r"archiver",
    r"mediapartners",
    # Link previews and social cards.
    r"facebookexternalhit",
    r"facebookcatalog",
    r"embedly",
    r"whatsapp",
    r"skypeuripreview",
    r"vkshare",
    r"bitlybot",
    # Headless browsers, audits and monitors.
    r"headless",
    r"phantomjs",
    r"lighthouse",
    r"pagespeed",
    r"pingdom",
    r"uptime",
    r"statuscake",
    r"site24x7",
    r"monitor",
    # Scripts and HTTP libraries.
    r"^curl/",
    r"^wget/",
    r"python-requests",
    r"python-urllib",
    r"python-httpx",
    r"aiohttp",
    r"go-http-client",
    r"^java/",
    r"okhttp",
    r"axios/",
    r"node-fetch",
    r"undici",
    r"libwww-perl",
    r"scrapy",
    r"postmanruntime",
    r"insomnia",
    r"httpie",
    r"apache-httpclient",
    # AI and SEO agents that do not say "bot".
    r"chatgpt-user",
    r"perplexity",
    r"anthropic-ai",
    r"cohere-ai",
    r"bytespider",
    r"ia_archiver",
    r"semrush",
    r"ahrefs",
    r"mj12",
    r"dataforseo",
)

_BOT = re.compile("|".join(BOT_PATTERNS), re.IGNORECASE)


def is_bot(user_agent: str | None) -> bool:
    """True for an empty User-Agent or one that matches a known robot."""
    if user_agent is None or not user_agent.strip():
        return True
    return _BOT.search(user_agent) is not None
