"""The one list of robots: crawlers, previews, monitors and scripts are never counted."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from portfolio_api.clock import FixedClock
from portfolio_api.visitors.bots import is_bot
from tests.visitors.conftest import FIREFOX, SAFARI, browser

ROBOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11) Chrome-Lighthouse",
    "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "ChatGPT-User/1.0",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "python-httpx/0.28.1",
    "Go-http-client/2.0",
    "axios/1.7.7",
    "PostmanRuntime/7.42.0",
    "",
    "   ",
]

BROWSERS = [
    FIREFOX,
    SAFARI,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    # A phone brand whose name ends in "bot".
    "Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 9; Cubot KingKong) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Mobile Safari/537.36",
]


@pytest.mark.parametrize("user_agent", ROBOTS)
def test_known_robots_are_recognised(user_agent: str) -> None:
    assert is_bot(user_agent)


def test_a_missing_user_agent_is_a_robot() -> None:
    assert is_bot(None)


@pytest.mark.parametrize("user_agent", BROWSERS)
def test_browsers_are_not_robots(user_agent: str) -> None:
    assert not is_bot(user_agent)


def test_a_robot_is_answered_but_not_counted(client: TestClient, clock: FixedClock) -> None:
    client.post("/v1/visitors/track", headers=browser())
    response = client.post("/v1/visitors/track", headers=browser(ROBOTS[0]))
    assert response.status_code == 200
    assert response.json() == {"count": 1, "tracked": False}


def test_a_request_without_user_agent_is_not_counted(client: TestClient, clock: FixedClock) -> None:
    response = client.post("/v1/visitors/track", headers={"User-Agent": ""})
    assert response.json() == {"count": 0, "tracked": False}
    assert client.get("/v1/visitors/count").json() == {"count": 0}
