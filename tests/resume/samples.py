"""Resumes for the tests: a full JSON Resume, the builder's shape, and a long one."""

from __future__ import annotations

from typing import Any


def full_resume() -> dict[str, Any]:
    """A JSON Resume using every section and property of the schema, plus an extra one."""
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            "name": "Zoë Łukasiewicz-Ångström",
            "label": "Backend Engineer",
            "image": "https://example.com/zoe.jpg",
            "email": "zoe@example.com",
            "phone": "+48 712 117 2923",
            "url": "https://zoe.example.com",
            "summary": "Builds serverless systems. Пишет по-русски, γράφει ελληνικά.",
            "location": {
                "address": "1234 Glücklichkeit Straße\nHinterhaus 5. Etage li.",
                "postalCode": "10115",
                "city": "Berlin",
                "countryCode": "DE",
                "region": "Berlin",
            },
            "profiles": [{"network": "GitHub", "username": "zoe", "url": "https://github.com/zoe"}],
        },
        "work": [
            {
                "name": "Nordwind Logistik GmbH",
                "location": "Hamburg",
                "description": "Freight platform",
                "position": "Senior Backend Engineer",
                "url": "https://nordwind.example.com",
                "startDate": "2021-04",
                "summary": "Owns the booking API.",
                "highlights": ["Cut p99 latency by 40%", "Moved billing to DynamoDB"],
            },
            {
                "name": "Kraków Software House",
                "position": "Software Developer",
                "startDate": "2017",
                "endDate": "2021-03-31",
            },
        ],
        "volunteer": [
            {
                "organization": "Code Club",
                "position": "Mentor",
                "url": "https://codeclub.example.org",
                "startDate": "2019-01",
                "endDate": "2020-06",
                "summary": "Taught Python to children.",
                "highlights": ["Ran 40 sessions"],
            }
        ],
        "education": [
            {
                "institution": "Uniwersytet Jagielloński",
                "url": "https://uj.example.edu",
                "area": "Computer Science",
                "studyType": "Master",
                "startDate": "2015",
                "endDate": "2017",
                "score": "5.0/5.0",
                "courses": ["Distributed Systems", "Compilers"],
            }
        ],
        "awards": [
            {
                "title": "Engineer of the Year",
                "date": "2022-12-01",
                "awarder": "Nordwind",
                "summary": "For the billing migration.",
            }
        ],
        "certificates": [
            {
                "name": "AWS Certified Developer",
                "date": "2021-11",
                "url": "https://aws.example.com/cert/1",
                "issuer": "Amazon Web Services",
            }
        ],
        "publications": [
            {
                "name": "Single-table design in practice",
                "publisher": "Serverless Weekly",
                "releaseDate": "2023-02",
                "url": "https://serverless.example.com/single-table",
                "summary": "Access patterns first.",
            }
        ],
        "skills": [
            {"name": "Backend", "level": "Master", "keywords": ["Python", "FastAPI", "DynamoDB"]}
        ],
        "languages": [{"language": "Polish", "fluency": "Native speaker"}],
        "interests": [{"name": "Climbing", "keywords": ["bouldering"]}],
        "references": [{"name": "Jan Kowalski", "reference": "Zoë is excellent."}],
        "projects": [
            {
                "name": "Portfolio API",
                "description": "This very backend.",
                "highlights": ["One table"],
                "keywords": ["AWS", "SAM"],
                "startDate": "2024",
                "endDate": "2024-06",
                "url": "https://portfolio.example.com",
                "roles": ["Author"],
                "entity": "Personal",
                "type": "application",
            }
        ],
        "meta": {
            "canonical": "https://zoe.example.com/resume.json",
            "version": "v1.0.0",
            "lastModified": "2024-06-01T10:00:00",
            "theme": "even",
        },
        "x-custom": {"anything": [1, 2.5, None, True]},
    }


def builder_resume() -> dict[str, Any]:
    """The reference resume builder's stored item."""
    return {
        "email": "akash10@gmail.com",
        "name": "John Doe",
        "phone": "9876543210",
        "summary": "Software Developer",
        "skills": ["React", "AWS"],
        "experience": [
            {
                "role": "Developer",
                "company": "ABC Corp",
                "start": "2022",
                "end": "2023",
                "details": ["Coding", "Testing"],
            }
        ],
        "education": [{"degree": "BCA", "institution": "XYZ College", "year": "2023"}],
    }


def long_resume(entries: int = 30) -> dict[str, Any]:
    """`entries` jobs, each with a summary and three highlights."""
    return {
        "basics": {"name": "Ada Lovelace", "label": "Engineer", "summary": "A long career."},
        "work": [
            {
                "name": f"Employer {i}",
                "position": f"Title {i}",
                "location": "London",
                "startDate": f"{1990 + i}-01",
                "endDate": f"{1991 + i}-01",
                "summary": "Responsible for the analytical engine's software and its tests.",
                "highlights": [
                    "Designed the first algorithm intended for a machine",
                    "Wrote the notes that explained it to everyone else",
                    "Reviewed every change before it shipped",
                ],
            }
            for i in range(entries)
        ],
    }
