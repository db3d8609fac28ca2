"""Writes the intent corpus (train/dev/test JSONL) from the hand-written phrase pools, reproducibly.

Run: `.venv/bin/python models/data/build_corpus.py` (rewrites train.jsonl, dev.jsonl, test.jsonl here).
Every random choice comes from one seeded generator per split, so the files are byte-identical on
every run. About a quarter of every phrase pool is held out from training: dev and test messages draw
half of their phrasings from those held-out parts, so the test score is not a memory test.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

import phrases_de  # noqa: E402
import phrases_en  # noqa: E402
import phrases_es  # noqa: E402
import phrases_fr  # noqa: E402

from triage.understand.classify import model_text  # noqa: E402

LANGS: dict[str, ModuleType] = {"en": phrases_en, "de": phrases_de, "es": phrases_es, "fr": phrases_fr}
LANG_WEIGHTS = {"en": 0.64, "de": 0.12, "es": 0.12, "fr": 0.12}
SPLITS = {"train": (20000, 101), "dev": (1000, 202), "test": (1000, 303)}  # size, seed
HELD_OUT_SHARE = 0.5  # dev/test messages take this share of phrasings from their held-out bucket
INTENTS = ("cancel", "duplicate", "address_fix", "refund")
# Pools that carry the request itself; a row's `held_out` flag says one of these phrasings is unseen in train.
CORE_POOLS = {
    "REQUESTS",
    "COMBOS",
    "NEGATIONS",
    "LOOKALIKES",
    "OTHER",
    "NEUTRAL",
    "ACTS",
    "GROUPS",
    "FRAMES_SELF",
    "FRAMES_SHOP",
    "DUP_FRAMES",
    "DUP_STMTS",
    "REASONS",
    "SYNONYMS",
}
# Round 4: share of messages whose core sentences get synonym swaps, and the chance each match is swapped.
SYN_MESSAGE_RATE = 0.5
SYN_MATCH_RATE = 0.6
# Round 4: chat-style placeholders in place of an order number (also language-neutral).
PLACEHOLDER_RATE = 0.1
ORDER_PLACEHOLDERS = [
    "{{Order Number}}",
    "{{order number}}",
    "{{Order ID}}",
    "[order id]",
    "[order number]",
    "<order number>",
    "[ORDER]",
    "XXXXX",
    "#XXXX",
    "(order no.)",
]

PLANS = {
    "single": 0.26,
    "combo": 0.11,
    "other": 0.24,
    "neutral": 0.04,
    "lookalike": 0.13,
    "negation": 0.07,
    "negation_plus": 0.05,
    "intent_plus_other": 0.06,
    "lookalike_plus_intent": 0.04,
}
SINGLE_WEIGHTS = {"cancel": 0.3, "duplicate": 0.18, "address_fix": 0.24, "refund": 0.28}
COMBO_WEIGHTS = {
    ("duplicate", "cancel"): 0.3,
    ("cancel", "refund"): 0.25,
    ("duplicate", "refund"): 0.15,
    ("duplicate", "cancel", "refund"): 0.08,
    ("address_fix", "cancel"): 0.1,
    ("address_fix", "refund"): 0.05,
    ("address_fix", "duplicate"): 0.04,
    ("refund", "address_fix"): 0.03,
}
# A negated intent next to a real request, only where the pair reads naturally.
NEGATION_PAIRS = {
    "cancel": ["address_fix"],
    "refund": ["address_fix"],
    "address_fix": ["cancel", "refund"],
    "duplicate": ["address_fix", "refund"],
}
STYLES = {"oneliner": 0.3, "short": 0.33, "medium": 0.22, "long": 0.15}  # dev and test: the realistic mix
# Training sees more bare requests, so each hard case (a negation, a look-alike) must be explained by
# its own words; otherwise the model leans on whatever story sentences happen to sit next to it.
TRAIN_STYLES = {"oneliner": 0.45, "short": 0.27, "medium": 0.17, "long": 0.11}

WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri"],
    "de": ["Mo.", "Di.", "Mi.", "Do.", "Fr."],
    "es": ["lun", "mar", "mié", "jue", "vie"],
    "fr": ["lun.", "mar.", "mer.", "jeu.", "ven."],
}
MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
    "de": ["01.", "02.", "03.", "04.", "05.", "06."],
    "es": ["ene", "feb", "mar", "abr", "may", "jun"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin"],
}
SLOT = re.compile(r"\{(\w+)\}")


_ELISION = re.compile(r"\b([DdJjMmNn]e|[Qq]ue) (?=[aeiouéèêâîô])")


def _elide(text: str) -> str:
    """French elision the frames would otherwise break: "de annuler" -> "d'annuler"."""
    return _ELISION.sub(lambda m: m.group(1)[:-1] + "'", text)


def _bucket(key: str) -> str:
    """Stable split bucket of one phrasing: ~14% test-only, ~12% dev-only, the rest train."""
    h = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 100
    return "test" if h < 14 else "dev" if h < 26 else "train"


def _vocabulary(pool_id: str, text: str) -> bool:
    """Round 5: a one-word synonym or group verb is vocabulary, always in train; held-out buckets apply to phrasings.

    A bag-of-words model without pretrained vectors has no feature for a word it never saw, so a word held out
    of training can only ever be missed: holding it out measures the size of our lexicon, not generalisation.
    Real customers use every word of the lexicon, so the model should know them all. Whole phrasings (sentences,
    frames, acts, multi-word objects and synonyms) keep their buckets: dev and test still hold wording, and
    combinations of known words, that training never sees."""
    if not (pool_id.startswith("SYNONYMS.") or pool_id.endswith(".v")):
        return False
    return len(re.sub(r"\\\d", "", text).split()) == 1


class Pools:
    """Phrase pools of one language, seen from one split (held-out phrasings never reach train)."""

    def __init__(self, lang: str, split: str, rng: random.Random) -> None:
        self.lang, self.mod, self.split, self.rng = lang, LANGS[lang], split, rng
        self._cache: dict[str, dict[str, list[str]]] = {}
        self.held_out_used = False  # set when a message takes a phrasing training never sees

    def pick(self, pool_id: str, items: list[str], family: str | None = None) -> str:
        """One phrasing; `family` names the pool for bucketing when one pool is seen through several filters."""
        parts = self._cache.get(pool_id)
        if parts is None:
            parts = {"train": [], "dev": [], "test": []}
            for t in items:
                whole = len(items) >= 5 and not _vocabulary(pool_id, t)
                parts[_bucket(f"{self.lang}:{family or pool_id}:{t}") if whole else "train"].append(t)
            if not parts["train"]:
                parts["train"] = list(items)
            self._cache[pool_id] = parts
        if self.split != "train" and parts[self.split] and self.rng.random() < HELD_OUT_SHARE:
            self.held_out_used = self.held_out_used or pool_id.split(".")[0] in CORE_POOLS
            return self.rng.choice(parts[self.split])
        return self.rng.choice(parts["train"])

    def get(self, name: str, key: str | None = None) -> str:
        pool = getattr(self.mod, name)
        items = pool[key] if key is not None else pool
        return self.pick(f"{name}.{key}", list(items))

    def grammar(self, label: str) -> str | None:
        """A frame around an act (e.g. "How do I" + "cancel my order"), or None if the language has no acts."""
        acts = getattr(self.mod, "ACTS", {}).get(label)
        if not acts:
            return None
        mode = "SELF" if self.rng.random() < 0.6 else "SHOP"
        groups = [g for g in getattr(self.mod, "GROUPS", {}).get(label, []) if g[0] != ("P" if mode == "SELF" else "S")]
        if groups and self.rng.random() < 0.6:
            i = self.rng.randrange(len(groups))
            _, verbs, objects = groups[i]
            verb = self.pick(f"GROUPS.{label}.{i}.v", verbs)
            obj = self.pick(f"GROUPS.{label}.{i}.o", objects)
            act = f"{obj} {verb}" if self.lang == "de" else f"{verb} {obj}"
        else:
            banned = "P:" if mode == "SELF" else "S:"
            usable = [a for a in acts if not a.startswith(banned)]
            act = self.pick(f"ACTS.{label}.{mode}", usable, family=f"ACTS.{label}")
            act = act[2:] if act[:2] in ("S:", "P:") else act
        return self._sentence(self.get(f"FRAMES_{mode}"), "{act}", act)

    def duplicate_statement(self) -> str:
        return self._sentence(self.get("DUP_FRAMES"), "{stmt}", self.get("DUP_STMTS"))

    def _sentence(self, frame: str, slot: str, filler: str) -> str:
        if frame.startswith(slot):
            filler = filler[:1].upper() + filler[1:] if self.rng.random() < 0.7 else filler.lower()
        elif not filler.startswith(("I ", "I'")):
            filler = filler[:1].lower() + filler[1:]
        text = frame.replace(slot, filler)
        return _elide(text) if self.lang == "fr" else text

    def distinct(self, name: str, k: int) -> list[str]:
        """Up to k different phrasings from one pool (a message never repeats a sentence)."""
        out: list[str] = []
        for _ in range(k * 4):
            if len(out) == k:
                break
            t = self.get(name)
            if t not in out:
                out.append(t)
        return out

    def synonyms(self, text: str) -> str:
        """Swap some words for our own synonyms (SYNONYMS in the phrase module), bucketed like any phrasing.

        Swaps go to numbered markers first, so a replacement is never matched again by a later pattern."""
        table = getattr(self.mod, "SYNONYMS", [])
        done: list[str] = []

        def swap(i: int, m: re.Match[str]) -> str:
            if self.rng.random() >= SYN_MATCH_RATE:
                return m.group(0)
            done.append(m.expand(self.pick(f"SYNONYMS.{i}", table[i][1])))
            return f"\x01{len(done) - 1}\x02"

        for i, (pattern, _) in enumerate(table):
            text = re.sub(pattern, lambda m, i=i: swap(i, m), text, flags=re.IGNORECASE)
        return re.sub("\x01(\\d+)\x02", lambda m: done[int(m.group(1))], text)


def _weighted(rng: random.Random, weights: dict) -> object:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _order_number(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return f"#{rng.randint(1000, 99999)}"
    if r < 0.75:
        return str(rng.randint(1000, 99999))
    if r < 0.9:
        return f"#{rng.randint(100000, 9999999)}"
    return f"SO-{rng.randint(10000, 99999)}"


def _slots(rng: random.Random, lang: str) -> dict[str, str]:
    """One consistent set of slot values per message (same order number, item, name throughout)."""
    fill = LANGS[lang].FILL
    name = rng.choice(fill["name"])
    street, city = rng.choice(fill["street"]), rng.choice(fill["city"])
    items = rng.sample(fill["item"], 2)
    order = _order_number(rng)
    order2 = _order_number(rng)
    if rng.random() < PLACEHOLDER_RATE:
        order = rng.choice(ORDER_PLACEHOLDERS)
    day, month = rng.randint(1, 28), rng.choice(MONTHS[lang])
    date = f"{day:02d}.{month}2024" if lang == "de" else f"{day} {month} 2024"
    return {
        "name": name,
        "first": name.split()[0],
        "street": street,
        "city": city,
        "addr": f"{street}, {city}",
        "zip": rng.choice(fill["zip"]),
        "item": items[0],
        "item2": items[1],
        "order": order,
        "order2": order2 if order2 != order else order2 + "1",
        "when": rng.choice(fill["when"]),
        "amount": rng.choice(fill["amount"]),
        "country": rng.choice(fill["country"]),
        "shop": rng.choice(fill["shop"]),
        "n": str(rng.randint(1, 48)),
        "weekday": rng.choice(WEEKDAYS[lang]),
        "date": date,
        "time": f"{rng.randint(7, 22)}:{rng.randint(0, 59):02d}",
        "email": f"{name.split()[0].lower()}@example.com",
    }


def _fill(template: str, slots: dict[str, str]) -> str:
    return SLOT.sub(lambda m: slots.get(m.group(1), m.group(0)), template)


def _plan(rng: random.Random, p: Pools) -> tuple[str, list[str], list[str], str | None]:
    """Choose what the message asks for: (kind, labels, core sentence templates, intent the subject may echo)."""
    mod = p.mod
    kind = str(_weighted(rng, PLANS))

    def request(intent: str) -> list[str]:
        made = None
        if rng.random() < 0.6:
            made = p.duplicate_statement() if intent == "duplicate" else p.grammar(intent)
        out = [made or p.get("REQUESTS", intent)]
        if rng.random() < 0.3:
            reason = p.get("REASONS", intent)
            out.insert(rng.choice([0, 1]), reason)
        return out

    if kind == "single":
        x = str(_weighted(rng, SINGLE_WEIGHTS))
        return kind, [x], request(x), x
    if kind == "combo":
        key = _weighted(rng, COMBO_WEIGHTS)
        assert isinstance(key, tuple)
        if key in mod.COMBOS and rng.random() < 0.5:
            return kind, list(key), [p.get("COMBOS", key)], key[0]
        return kind, list(key), [s for k in key for s in request(k)], key[0]

    def other() -> str:
        return (p.grammar("other") if rng.random() < 0.55 else None) or p.get("OTHER")

    def lookalike(fam: str) -> str:
        return (p.grammar("lookalike") if rng.random() < 0.35 else None) or p.get("LOOKALIKES", fam)

    if kind == "other":
        first = other()
        second = other() if rng.random() < 0.3 else first
        return kind, ["other"], [first] if second == first else [first, second], None
    if kind == "neutral":
        return kind, ["other"], p.distinct("NEUTRAL", rng.randint(1, 2)), None
    if kind == "lookalike":
        fam = rng.choice(INTENTS)
        core = [lookalike(fam)] + ([other()] if rng.random() < 0.25 else [])
        return kind, ["other"], core, fam if rng.random() < 0.2 else None
    if kind == "negation":
        fam = rng.choice(INTENTS)
        core = [p.get("NEGATIONS", fam)] + ([other()] if rng.random() < 0.4 else [])
        return kind, ["other"], core, fam if rng.random() < 0.35 else None
    if kind == "negation_plus":
        fam = rng.choice(INTENTS)
        y = rng.choice(NEGATION_PAIRS[fam])
        core = [p.get("NEGATIONS", fam), *request(y)]
        if rng.random() < 0.3:
            core = core[1:] + core[:1]
        return kind, [y], core, rng.choice([fam, y])
    if kind == "intent_plus_other":
        x = str(_weighted(rng, SINGLE_WEIGHTS))
        core = [*request(x), other()]
        if rng.random() < 0.4:
            core = core[-1:] + core[:-1]
        return kind, [x], core, x
    fam, y = rng.choice(INTENTS), str(_weighted(rng, SINGLE_WEIGHTS))
    core = [lookalike(fam), *request(y)]
    if rng.random() < 0.4:
        core = core[1:] + core[:1]
    return kind, [y], core, y


def _typos(text: str, rng: random.Random, extra: dict[str, list[str]]) -> str:
    """Realistic slips: short forms, swapped, dropped or doubled letters in a few words."""
    for word, subs in extra.items():
        if word in text and rng.random() < 0.5:
            text = text.replace(word, rng.choice(subs), 1)
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    k = 1 + len(words) // 60  # about one slip per sixty words, like hurried real mail
    for i in rng.sample(candidates, min(len(candidates), rng.randint(1, k))):
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        op = rng.random()
        if op < 0.35:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif op < 0.7:
            w = w[:j] + w[j + 1 :]
        else:
            w = w[:j] + w[j] + w[j:]
        words[i] = w
    return " ".join(words)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _casual(text: str, rng: random.Random) -> str:
    if rng.random() < 0.45:
        text = text.lower()
    if rng.random() < 0.4:
        text = text.rstrip(".!")
    if rng.random() < 0.2:
        text = text.replace("'", "").replace("’", "")
    return text


def _quote(body: str, rng: random.Random, p: Pools, slots: dict[str, str], subject: str) -> str:
    """Add reply history the way mail clients do: '>'-quoted (top- or bottom-posted) or Outlook style."""
    quoted = _fill(p.get("QUOTED"), slots)
    r = rng.random()
    if r < 0.22:
        head = _fill(p.mod.OUTLOOK, {**slots, "subject": subject or "Your order"})
        return f"{body}\n\n{head}\n\n{quoted}"
    header = _fill(p.get("QUOTE_HEADERS"), slots)
    lines = f"{quoted}\n\n{_fill(p.get('CLOSINGS'), {**slots, 'name': slots['shop']})}".splitlines()
    block = "\n".join(("> " + line).rstrip() for line in lines)
    if r < 0.35:
        return f"{header}\n{block}\n\n{body}"
    return f"{body}\n\n{header}\n{block}"


def compose(rng: random.Random, p: Pools) -> dict:
    """One message: subject, body (with greeting, context, story, quotes, typos as drawn) and its labels."""
    lang = p.lang
    p.held_out_used = False
    slots = _slots(rng, lang)
    kind, labels, core, echo = _plan(rng, p)
    if rng.random() < SYN_MESSAGE_RATE:
        core = [p.synonyms(t) for t in core]
    core_text = " ".join(_fill(t, slots) for t in core)
    style = str(_weighted(rng, TRAIN_STYLES if p.split == "train" else STYLES))

    if style == "oneliner":
        body = _casual(core_text, rng)
    else:
        paras: list[str] = []
        if rng.random() < 0.88:
            paras.append(_fill(p.get("OPENINGS"), slots))
        n_ctx = {"short": int(rng.random() < 0.4), "medium": rng.randint(1, 2), "long": rng.randint(1, 2)}[style]
        context = [_fill(t, slots) for t in p.distinct("CONTEXT", n_ctx)]
        if style == "long":
            story = [_fill(t, slots) for t in p.distinct("STORY", rng.randint(2, 6))]
            paras.append(" ".join(story[: len(story) // 2 + 1] + context))
            if rng.random() < 0.5:
                paras.append(core_text)
                paras.append(" ".join(story[len(story) // 2 + 1 :]) or _fill(p.get("FOLLOWUPS"), slots))
            else:
                paras.append(" ".join([*story[len(story) // 2 + 1 :], core_text]))
        else:
            paras.append(" ".join([*context, core_text]) if rng.random() < 0.7 else " ".join([core_text, *context]))
        if style != "short" or rng.random() < 0.4:
            paras.append(_fill(p.get("FOLLOWUPS"), slots))
        if rng.random() < 0.85:
            paras.append(_fill(p.get("CLOSINGS"), slots))
        body = "\n\n".join(x for x in paras if x.strip())
    if rng.random() < 0.2:
        body = _typos(body, rng, p.mod.TYPO_EXTRA)
    if lang != "en" and rng.random() < 0.15:
        body = _strip_accents(body)

    r = rng.random()
    empty_share = 0.5 if style == "oneliner" else 0.18
    if r < empty_share:
        subject = ""
    elif echo is not None and r < empty_share + 0.45:
        subject = _fill(p.get("SUBJECTS", echo), slots)
        if labels == ["other"]:
            subject = "Re: " + subject
    elif labels == ["other"] and r < empty_share + 0.5:
        subject = _fill(p.get("SUBJECTS", "other"), slots)
    else:
        subject = _fill(p.get("SUBJECTS", "neutral"), slots)
    if style != "oneliner" and rng.random() < 0.18:
        body = _quote(body, rng, p, slots, subject)
    return {"subject": subject, "body": body, "labels": labels, "lang": lang, "kind": kind, "held_out": p.held_out_used}


def dedupe_key(subject: str, body: str) -> str:
    """What counts as 'the same message': the model's view with digits blanked out."""
    return re.sub(r"\d+", "0", model_text(subject, body))


def build(out_dir: Path = HERE) -> dict[str, Counter]:
    """Generate all splits in order train, dev, test; a message seen in an earlier split is never reused."""
    seen: set[str] = set()
    stats: dict[str, Counter] = {}
    for split, (size, seed) in SPLITS.items():
        rng = random.Random(seed)
        pools = {lang: Pools(lang, split, rng) for lang in LANGS}
        rows: list[dict] = []
        attempts = 0
        while len(rows) < size:
            attempts += 1
            if attempts > size * 20:
                raise RuntimeError(f"{split}: only {len(rows)} unique messages after {attempts} attempts")
            lang = str(_weighted(rng, LANG_WEIGHTS))
            msg = compose(rng, pools[lang])
            key = dedupe_key(msg["subject"], msg["body"])
            if key in seen:
                continue
            seen.add(key)
            rows.append({"id": f"{split}-{len(rows) + 1:05d}", **msg})
        with (out_dir / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        stats[split] = Counter()
        for row in rows:
            stats[split].update([f"lang:{row['lang']}", f"kind:{row['kind']}", f"n_labels:{len(row['labels'])}"])
            stats[split].update(f"label:{label}" for label in row["labels"])
    return stats


if __name__ == "__main__":
    for split, counts in build().items():
        print(split, dict(sorted(counts.items())))
