"""A synthetic AtoM description CSV of any length, to measure the AtoM import on.

Fonds hold series, series hold files, files hold items, as AtoM exports them; rows come in
a shuffled order (parents often after their parts), a few carry a Spanish translation, and
creators and name access points repeat from a small pool of names, as real holdings do.
"""

import csv
import random

HEADER = [
    *("legacyId", "parentId", "qubitParentSlug", "identifier", "title", "levelOfDescription"),
    *("extentAndMedium", "repository", "archivalHistory", "scopeAndContent"),
    *("accessConditions", "language", "nameAccessPoints", "genreAccessPoints", "sources"),
    *("publicationStatus", "eventDates", "eventTypes", "eventStartDates", "eventEndDates"),
    *("eventActors", "eventActorHistories", "culture"),
]
# Each level's share of the descriptions under one above it.
FANOUT = (("Series", 5), ("File", 10), ("Item", 19))
NAMES = [f"Agent {n:03d}" for n in range(200)]


def descriptions(count, seed=1):
    """Rows (dicts) of `count` descriptions in a tree, in tree order."""
    rng = random.Random(seed)
    rows, number = [], 0

    def add(parent, level, identifier):
        nonlocal number
        number += 1
        year = rng.randint(1950, 2000)
        rows.append(
            {
                "legacyId": str(number),
                "parentId": parent,
                "identifier": identifier,
                "title": f"{level} {number} of the synthetic holdings",
                "levelOfDescription": level,
                "extentAndMedium": f"{rng.randint(1, 40)} pages",
                "repository": "Synthetic repository",
                "scopeAndContent": f"Papers about matter {rng.randint(1, 5000)}, {year}.",
                "accessConditions": "Open",
                "language": rng.choice(["en", "en|es", "es", "fr"]),
                "nameAccessPoints": "|".join(rng.sample(NAMES, rng.randint(0, 2))),
                "genreAccessPoints": rng.choice(["", "Photographs", "Correspondence"]),
                "sources": "Synthetic source",
                "publicationStatus": "Published",
                "eventDates": f"{year} - {year + 3}",
                "eventTypes": "Creation",
                "eventStartDates": f"{year}-00-00",
                "eventEndDates": f"{year + 3}-12-31",
                "eventActors": rng.choice(NAMES),
                "eventActorHistories": "NULL",
                "culture": "en",
            }
        )
        return str(number)

    while number < count:
        fonds = add("", "Fonds", f"F{number + 1}")
        stack = [(fonds, 0)]
        while stack and number < count:
            parent, depth = stack.pop()
            level, fanout = FANOUT[depth]
            for n in range(1, fanout + 1):
                if number >= count:
                    break
                child = add(parent, level, f"{level[0]}{n}")
                if depth + 1 < len(FANOUT):
                    stack.append((child, depth + 1))
    return rows


def write(stream, count, seed=1, translated_every=50):
    """Write an AtoM ISAD CSV of `count` descriptions, shuffled, to a text stream."""
    rows = descriptions(count, seed)
    random.Random(seed).shuffle(rows)
    writer = csv.DictWriter(stream, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for index, row in enumerate(rows, start=1):
        writer.writerow(row)
        if translated_every and index % translated_every == 0:
            writer.writerow({**row, "title": f"Traducción: {row['title']}", "culture": "es"})
