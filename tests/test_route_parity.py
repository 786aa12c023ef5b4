"""Route parity: every route of the app is a route of the HTTP API in `template.yaml`, and the
gateway's JWT authorizer sits on exactly the owner-only ones.

A route is owner-only when its dependency tree contains `owner_session`, which `CurrentOwner`
(and `CurrentOwnerSession`) resolve through. `OptionalOwner` routes are public at the gateway:
the app decides what an anonymous caller sees. HTTP API routes are method + path, so a public
`GET /v1/blog/posts/{postId}` and an owner-only `PUT` of the same path are separate routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Route

from portfolio_api.auth.dependencies import optional_owner, owner_session
from portfolio_api.config import Settings
from portfolio_api.head import HeadAsGet
from portfolio_api.main import create_app
from portfolio_api.routers import include_all

INTEGRATION = "x-amazon-apigateway-integration"
OWNER_SECURITY = [{"OwnerJwt": []}]
PREFLIGHT = ("OPTIONS", "/{proxy+}")
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "options", "head"}
STRICTER_THROTTLING = re.compile(
    r"^(POST /v1/(auth/login|auth/challenge|.+/track|.+/hit)|GET /v1/visitors/hit)$"
)
"""Routes the gateway throttles harder than the rest: sign-in (the password, and the challenge
that takes authenticator codes) and the tracking endpoints (the counter counts on GET too)."""

RouteKey = tuple[str, str]


def dependency_calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    """Every callable in a route's dependency tree, sub-dependencies included."""
    pending = [dependant]
    while pending:
        current = pending.pop()
        yield current.call
        pending.extend(current.dependencies)


def unsafe_gets(app: FastAPI) -> frozenset[str]:
    """The GET paths on which `HeadAsGet` leaves HEAD unanswered (their GET is not safe)."""
    (head,) = (m for m in app.user_middleware if m.cls is HeadAsGet)
    return frozenset(head.kwargs.get("unsafe_gets", ()))


def app_routes(app: FastAPI) -> dict[RouteKey, str]:
    """(METHOD, path) -> "owner", "optional" or "public", for every HTTP route of `app`.

    The app answers HEAD on every GET route but its unsafe ones (`HeadAsGet`); the gateway
    routes it for those that are not owner-only, so those are the HEAD routes counted here.
    (Starlette's own HEAD on its plain routes is left out.)
    """
    no_head = unsafe_gets(app)
    routes: dict[RouteKey, str] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            calls = set(dependency_calls(context.dependant))
            if owner_session in calls:
                kind = "owner"
            elif optional_owner in calls:
                kind = "optional"
            else:
                kind = "public"
        elif isinstance(route, Route):
            kind = "public"
        else:
            raise AssertionError(f"Unexpected route type {type(route).__name__}: {route!r}")
        for method in sorted((context.methods or set()) - {"HEAD"}):
            routes[(method, context.path)] = kind
            if method == "GET" and kind != "owner" and context.path not in no_head:
                routes[("HEAD", context.path)] = kind
    return routes


def gateway_operations(template: dict[str, Any]) -> dict[RouteKey, dict[str, Any]]:
    """(METHOD, path) -> OpenAPI operation of the HTTP API's definition body."""
    body = template["Resources"]["PortfolioHttpApi"]["Properties"]["DefinitionBody"]
    operations: dict[RouteKey, dict[str, Any]] = {}
    for path, item in body["paths"].items():
        for method, operation in item.items():
            assert method in HTTP_METHODS, f"{path}: {method} is not an HTTP method route"
            operations[(method.upper(), path)] = operation
    return operations


def route_key(route: RouteKey) -> str:
    return f"{route[0]} {route[1]}"


@pytest.fixture(scope="module")
def routes() -> dict[RouteKey, str]:
    # Docs on, so that /docs, /redoc, their assets and /openapi.json are routes too; every
    # router included, as the first request under its prefix would.
    return app_routes(include_all(create_app(Settings(docs_enabled=True))))


@pytest.fixture(scope="module")
def operations(template: dict[str, Any]) -> dict[RouteKey, dict[str, Any]]:
    return gateway_operations(template)


def test_every_app_route_is_a_gateway_route(
    routes: dict[RouteKey, str], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    missing = sorted(set(routes) - set(operations))
    hint = "\n".join(
        f"  {route_key(r)} ({routes[r]}): add `{r[0].lower()}:` under `{r[1]}` in "
        "PortfolioHttpApi's DefinitionBody.paths"
        + (", with `security: [{OwnerJwt: []}]`" if routes[r] == "owner" else "")
        for r in missing
    )
    assert not missing, f"Routes of the app the HTTP API does not serve:\n{hint}"


def test_every_gateway_route_is_an_app_route(
    routes: dict[RouteKey, str], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    stale = sorted(set(operations) - set(routes) - {PREFLIGHT})
    assert not stale, f"Gateway routes with no app route: {[route_key(r) for r in stale]}"


def test_authorizer_is_on_exactly_the_owner_only_routes(
    routes: dict[RouteKey, str], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    owner_routes = {r for r, kind in routes.items() if kind == "owner"}
    protected = {r for r, operation in operations.items() if operation.get("security")}
    assert sorted(map(route_key, protected - owner_routes)) == [], "public in the app"
    assert sorted(map(route_key, owner_routes - protected)) == [], "no authorizer"


def test_owner_routes_use_the_cognito_jwt_authorizer_only(
    routes: dict[RouteKey, str], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    for route, kind in routes.items():
        if kind == "owner":
            assert operations[route]["security"] == OWNER_SECURITY, route_key(route)


def test_public_and_optional_owner_routes_take_no_token_at_the_gateway(
    routes: dict[RouteKey, str], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    public = [r for r, kind in routes.items() if kind != "owner"]
    assert public
    for route in public:
        assert "security" not in operations[route], route_key(route)


def test_owner_detection_tells_same_path_methods_apart(routes: dict[RouteKey, str]) -> None:
    # Pins the dependency walk: if it stopped finding owners, every route would look public.
    assert routes[("GET", "/v1/blog/posts/{postId}")] == "optional"
    assert routes[("PUT", "/v1/blog/posts/{postId}")] == "owner"
    assert routes[("POST", "/v1/auth/logout")] == "owner"  # via CurrentOwnerSession
    assert routes[("GET", "/v1/visitors/count")] == "public"
    assert routes[("GET", "/openapi.json")] == "public"


def test_the_counter_takes_get_but_not_head_at_the_gateway(
    routes: dict[RouteKey, str], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    # Its GET counts a visit; a routed HEAD would be a 405 from the app at best.
    assert routes[("GET", "/v1/visitors/hit")] == "public"
    assert ("GET", "/v1/visitors/hit") in operations
    assert ("HEAD", "/v1/visitors/hit") not in routes
    assert ("HEAD", "/v1/visitors/hit") not in operations


def test_the_authorizer_trusts_the_stack_user_pool_and_client(template: dict[str, Any]) -> None:
    body = template["Resources"]["PortfolioHttpApi"]["Properties"]["DefinitionBody"]
    authorizer = body["components"]["securitySchemes"]["OwnerJwt"]["x-amazon-apigateway-authorizer"]
    pool = {"Fn::If": ["CreateUserPool", {"Ref": "UserPool"}, {"Ref": "CognitoUserPoolId"}]}
    client = {"Fn::If": ["CreateUserPool", {"Ref": "UserPoolClient"}, {"Ref": "CognitoClientId"}]}
    assert authorizer["type"] == "jwt"
    assert authorizer["identitySource"] == "$request.header.Authorization"
    region = {
        "Fn::If": [
            "CreateUserPool",
            {"Ref": "AWS::Region"},
            {"Fn::Select": [0, {"Fn::Split": ["_", {"Ref": "CognitoUserPoolId"}]}]},
        ]
    }
    assert authorizer["jwtConfiguration"] == {
        "issuer": {
            "Fn::Sub": [
                "https://cognito-idp.${PoolRegion}.amazonaws.com/${PoolId}",
                {"PoolId": pool, "PoolRegion": region},
            ]
        },
        "audience": [client],
    }


def test_every_operation_invokes_the_live_alias(
    template: dict[str, Any], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    function = template["Resources"]["PortfolioFunction"]["Properties"]
    uri = (
        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
        f"${{PortfolioFunction.Arn}}:{function['AutoPublishAlias']}/invocations"
    )
    for route, operation in operations.items():
        assert operation[INTEGRATION] == {
            "type": "aws_proxy",
            "httpMethod": "POST",
            "payloadFormatVersion": "2.0",
            "uri": {"Fn::Sub": uri},
        }, route_key(route)


# The only greedy route is the CORS preflight, and it cannot reach an owner route.


def test_no_any_method_or_default_route_can_bypass_the_authorizer(template: dict[str, Any]) -> None:
    paths = template["Resources"]["PortfolioHttpApi"]["Properties"]["DefinitionBody"]["paths"]
    assert "$default" not in paths
    assert not [p for p, item in paths.items() if "x-amazon-apigateway-any-method" in item]
    greedy = {p: sorted(item) for p, item in paths.items() if "+}" in p}
    assert greedy == {"/{proxy+}": ["options"]}


def test_no_app_route_takes_options(routes: dict[RouteKey, str]) -> None:
    assert [route_key(r) for r in routes if r[0] == "OPTIONS"] == []


def test_preflight_of_an_owner_route_is_answered_by_the_app_without_a_token() -> None:
    origin = "https://portfolio.example"
    client = TestClient(create_app(Settings(cors_origins=[origin])))
    response = client.options(
        "/v1/blog/posts/any-id",
        headers={"Origin": origin, "Access-Control-Request-Method": "PUT"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "PUT" in response.headers["access-control-allow-methods"]


def test_plain_options_request_on_an_owner_route_reaches_no_handler() -> None:
    response = TestClient(create_app(Settings())).options("/v1/blog/posts/any-id")
    assert response.status_code == 405


# Throttling: sign-in and tracking get their own, stricter route settings.


def stage_route_settings(template: dict[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = template["Resources"]["PortfolioHttpApi"]["Properties"][
        "RouteSettings"
    ]
    return settings


def parameter_default(template: dict[str, Any], value: dict[str, str]) -> int:
    return int(template["Parameters"][value["Ref"]]["Default"])


def test_login_and_tracking_routes_are_throttled_harder_than_the_default(
    template: dict[str, Any], routes: dict[RouteKey, str]
) -> None:
    api = template["Resources"]["PortfolioHttpApi"]["Properties"]
    default = api["DefaultRouteSettings"]
    strict = sorted(route_key(r) for r in routes if STRICTER_THROTTLING.match(route_key(r)))
    assert "POST /v1/auth/login" in strict
    assert "POST /v1/auth/challenge" in strict
    assert "POST /v1/visitors/track" in strict
    assert {"POST /v1/visitors/hit", "GET /v1/visitors/hit"} <= set(strict)
    settings = stage_route_settings(template)
    for key in strict:
        assert key in settings, f"{key} has no RouteSettings entry in template.yaml"
        for limit in ("ThrottlingRateLimit", "ThrottlingBurstLimit"):
            assert parameter_default(template, settings[key][limit]) < parameter_default(
                template, default[limit]
            ), (key, limit)


def test_route_settings_name_existing_routes(
    template: dict[str, Any], operations: dict[RouteKey, dict[str, Any]]
) -> None:
    # A RouteSettings key without its route fails the stage at deploy time.
    keys = {route_key(r) for r in operations}
    assert set(stage_route_settings(template)) <= keys
