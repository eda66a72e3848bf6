"""The parts of an official Vietnamese document (Decree 30/2020/NĐ-CP) that every PDF of the portal shares.

Certificates, recognition decisions and council minutes all print the issuing body over its number and symbol,
the national motto over the place-and-date line, and the signer's authority ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ
TỊCH / PHÓ CHỦ TỊCH"). The wording is fixed by the decree, so it is Vietnamese whatever the interface language.
"""

from apps.core.text import fold

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
# A unit's division type in front of its name; the place-and-date line uses the bare name ("Huế").
DIVISION_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu ")
DECISION_SYMBOL = "QĐ-UBND"
PADDED_MONTHS = (1, 2)  # the decree writes "01" and "02" for January and February, other months bare


def place_name(name):
    """The place of a document: the unit's name without its division type ("Thành phố Huế" → "Huế")."""
    for prefix in DIVISION_PREFIXES:
        if name.startswith(prefix) or name.lower().startswith(prefix.lower()):
            return name[len(prefix) :]
    return name


def place_and_date(place, day):
    """ "Huế, ngày 01 tháng 12 năm 2026": the decree pads days below 10, and the months January and February."""
    if not day:
        return ""
    month = f"{day.month:02d}" if day.month in PADDED_MONTHS else str(day.month)
    return f"{place_name(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_and_symbol(number, symbol=DECISION_SYMBOL):
    """ "Số: 123/QĐ-UBND"; a number typed without its symbol gets the document type's symbol."""
    number = (number or "").strip()
    if number and "/" not in number:
        number = f"{number}/{symbol}"
    # Unnumbered (the office registers it on signing): room to write the number in by hand.
    return f"Số: {number}" if number else f"Số:{chr(0xA0) * 10}/{symbol}"


def issuing_body(unit_name):
    """The issuing body's two lines: "ỦY BAN NHÂN DÂN" over "TỈNH QUẢNG NINH"."""
    return [PEOPLES_COMMITTEE, unit_name.upper()]


def issuer_lines(issuer_name):
    """An issuing body typed as one name ("Ủy ban nhân dân tỉnh Quảng Ninh", "UBND huyện X") as its two lines."""
    name = " ".join((issuer_name or "").split())
    folded = fold(name)
    for prefix in ("uy ban nhan dan ", "ubnd "):
        if folded.startswith(prefix):
            return issuing_body(name[len(prefix) :])
    return [name.upper()]


def authority_lines(signer_title):
    """The lines above a People's Committee signature: who signs on whose behalf (Decree 30, article 13).

    "Chủ tịch" signs for the committee (TM.); a vice-chair signs in the chair's place (KT.). A title typed
    with its own prefix ("KT. Chủ tịch — Phó Chủ tịch") is kept, one line per part.
    """
    title = " ".join((signer_title or "").split())
    folded = fold(title)
    parts = [p.strip().upper() for p in title.replace("—", "/").replace(" - ", "/").split("/") if p.strip()]
    if folded.startswith("tm.") or folded.startswith("kt."):
        lines = parts
    elif folded.startswith("pho chu tich"):
        lines = ["KT. CHỦ TỊCH", title.upper()]
    elif folded == "chu tich":
        lines = ["CHỦ TỊCH"]
    else:
        lines = parts or ["CHỦ TỊCH"]
    if not fold(lines[0]).startswith("tm."):
        lines = [f"TM. {PEOPLES_COMMITTEE}", *lines]
    return lines


def full_address(address, commune):
    """The street address followed by commune, district and province, each once: what a letter needs.

    Walks ``commune.parent`` (select the relations beforehand: no query here), skipping a unit whose name the
    typed address already contains.
    """
    parts = [" ".join((address or "").split()).rstrip(",")] if address else []
    folded = fold(address or "")
    unit = commune
    while unit is not None:
        if fold(unit.name) not in folded:
            parts.append(unit.name)
        unit = unit.parent if unit.parent_id else None
    return ", ".join(p for p in parts if p)
