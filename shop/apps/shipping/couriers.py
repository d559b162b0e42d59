"""The couriers a Lapas ships with, the shape of each one's waybill number (nomor resi) and
the page where a buyer follows a parcel.

One table, so that a courier's new number format or tracking page is one edit here. The
formats are those printed on the couriers' receipts; a number that does not fit is almost
always a typing slip (a digit too few, a letter O for a zero), which is why it is refused
rather than stored: the buyer would follow a parcel that does not exist.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class CourierCode(models.TextChoices):
    JNE = "jne", "JNE"
    JNT = "jnt", "J&T Express"
    SICEPAT = "sicepat", "SiCepat"
    POS = "pos", "Pos Indonesia"
    ANTERAJA = "anteraja", "AnterAja"
    LION = "lion", "Lion Parcel"
    TIKI = "tiki", "TIKI"
    OWN = "own", gettext_lazy("Own delivery by the Lapas")


@dataclass(frozen=True)
class Courier:
    code: str
    pattern: str  # the whole waybill, after normalise_waybill
    example: str  # shown to staff next to a refused number
    tracking_url: str  # "{waybill}" is replaced; empty: no public tracking page
    waybill_required: bool = True

    @property
    def name(self) -> str:
        return str(CourierCode(self.code).label)

    def matches(self, waybill: str) -> bool:
        return re.fullmatch(self.pattern, waybill) is not None

    def tracking_link(self, waybill: str) -> str:
        if not self.tracking_url or not waybill:
            return ""
        return self.tracking_url.format(waybill=quote(waybill, safe=""))


COURIERS: dict[str, Courier] = {
    c.code: c
    for c in (
        # Regular JNE connote numbers: 12 to 16 digits, or an origin-city prefix and digits.
        Courier(
            CourierCode.JNE,
            r"\d{12,16}|[A-Z]{3}[A-Z0-9]{9,13}",
            "0123456789012345",
            "https://www.jne.co.id/tracking-package?awb={waybill}",
        ),
        # "JP"/"JD"/"JO"/"JX"/"JZ" and ten digits; older ones twelve digits.
        Courier(
            CourierCode.JNT,
            r"J[PDOXZ]\d{10}|\d{12}",
            "JP1234567890",
            "https://jet.co.id/track?awb={waybill}",
        ),
        Courier(
            CourierCode.SICEPAT,
            r"\d{12}",
            "000123456789",
            "https://www.sicepat.com/checkAwb?awb={waybill}",
        ),
        # International-style (UPU S10: two letters, nine digits, "ID") or the domestic
        # barcode "P" and 12-14 digits.
        Courier(
            CourierCode.POS,
            r"[A-Z]{2}\d{9}[A-Z]{2}|P\d{12,14}",
            "P2312010012345",
            "https://www.posindonesia.co.id/id/tracking?barcode={waybill}",
        ),
        Courier(
            CourierCode.ANTERAJA,
            r"1\d{13}|AA[A-Z0-9]{10,14}",
            "10001234567890",
            "https://anteraja.id/tracking/{waybill}",
        ),
        # The STT number: "11LP" or "88LP" and digits, or the dashed form 11-23-12345678.
        Courier(
            CourierCode.LION,
            r"\d{2}LP\d{10,13}|\d{2}-\d{2}-\d{6,10}",
            "11LP1701234567",
            "https://lionparcel.com/track/stt?q={waybill}",
        ),
        Courier(
            CourierCode.TIKI,
            r"\d{12}",
            "030012345678",
            "https://www.tiki.id/id/tracking?awb={waybill}",
        ),
        # The Lapas's own car or motorbike: a delivery note number if they keep one.
        Courier(
            CourierCode.OWN,
            r"[A-Z0-9][A-Z0-9/-]{0,39}",
            "SJ-2026/0042",
            "",
            waybill_required=False,
        ),
    )
}


# How spreadsheets spell them besides their codes and names.
ALIASES = {"j&t": "jnt", "j&t express": "jnt", "pos": "pos", "posindonesia": "pos", "lion": "lion"}


def normalise_waybill(waybill: str) -> str:
    """What staff type or a spreadsheet holds, as the courier prints it: capitals, no
    spaces (receipts group digits in fours)."""
    return re.sub(r"\s+", "", waybill or "").upper()


def courier_for(code: str) -> Courier:
    """The courier of a code, by its code or its name ("J&T Express", "jne"), or a
    ValidationError naming the couriers there are."""
    key = (code or "").strip().lower()
    key = ALIASES.get(key, key)
    for courier in COURIERS.values():
        if key in (courier.code, courier.name.lower()):
            return courier
    raise ValidationError(
        _("Unknown courier “%(courier)s”. Use one of: %(couriers)s.")
        % {"courier": code, "couriers": ", ".join(COURIERS)},
        code="unknown_courier",
    )


def waybill_validate(*, courier_code: str, waybill: str) -> str:
    """The waybill number, normalised, if it fits the courier's format; else a
    ValidationError that says what the courier's numbers look like."""
    courier = courier_for(courier_code)
    value = normalise_waybill(waybill)
    if not value:
        if courier.waybill_required:
            raise ValidationError(
                _("Enter the waybill number (nomor resi) of the %(courier)s parcel.")
                % {"courier": courier.name},
                code="waybill_required",
            )
        return ""
    if not courier.matches(value):
        raise ValidationError(
            _("“%(waybill)s” is not a %(courier)s waybill number; they look like %(example)s.")
            % {"waybill": value, "courier": courier.name, "example": courier.example},
            code="waybill_format",
        )
    return value
