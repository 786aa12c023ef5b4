"""Public XML routes: the blog's Atom feed and the site map. Cacheable, drafts never shown."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portfolio_api.blocking import BlockingRoute
from portfolio_api.blog.service import BLOG
from portfolio_api.clock import ClockDep, iso
from portfolio_api.content import http
from portfolio_api.deps import SettingsDep, TableDep
from portfolio_api.errors import error_responses
from portfolio_api.feeds import render, service

router = APIRouter(
    route_class=BlockingRoute, prefix="/v1", tags=["Feeds"], responses=error_responses(503)
)


def _site_url(request: Request, settings: SettingsDep) -> str:
    # SITE_URL; else the first CORS origin is taken for the site; else links point at this API.
    if settings.site_url:
        return settings.site_url
    if settings.cors_origins:
        return settings.cors_origins[0]
    return str(request.base_url).rstrip("/")


@router.get(
    "/blog/feed.xml",
    operation_id="getBlogFeed",
    summary="Atom feed of the latest blog posts",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}, **http.READ_ERRORS},
)
def blog_feed(
    request: Request, table: TableDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    """The 20 latest published posts as Atom 1.0, with their HTML content."""
    now = clock.now()
    document = render.atom_feed(
        posts=service.latest(table=table, kind=BLOG, now=now),
        site_url=_site_url(request, settings),
        feed_url=str(request.url.replace(query="")),
        title="Blog",
        fallback_updated=iso(now),
    )
    return http.not_modified_or(request, document, "application/atom+xml")


@router.get(
    "/sitemap.xml",
    operation_id="getSitemap",
    summary="Sitemap of published posts and projects",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}, **http.READ_ERRORS},
)
def site_map(request: Request, table: TableDep, clock: ClockDep, settings: SettingsDep) -> Response:
    """Every published post and project, with its last modification date."""
    site = _site_url(request, settings)
    pages = service.site_pages(table=table, now=clock.now())
    document = render.sitemap((f"{site}/{path}", modified) for path, modified in pages)
    return http.not_modified_or(request, document, "application/xml")
