"""The licence as a document: a PDF drawn with reportlab and a QR code of its verification URL.

Everything is rendered on the server from local libraries; no page or PDF loads another host.
The QR code points at the public verification page with the number and code filled in, so
customs or a buyer can scan the paper and see "valid" / "not valid" and nothing else.
"""

from io import BytesIO
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import qrcode
import qrcode.image.svg
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from apps.licensing.models import Licence, LicenceType


def verification_url(base_url: str, licence: Licence) -> str:
    query = urlencode({"number": licence.number, "code": licence.verification_code})
    return f"{base_url.rstrip('/')}{reverse('review:licence_verify')}?{query}"


def _qr(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url: str) -> SafeString:
    """An inline SVG (no image file, no data: URL for the CSP to refuse)."""
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # noqa: S308 # nosec B308 B703 - qrcode's SVG of our own URL


class QrFlowable(Flowable):
    """The QR matrix drawn as vector squares: sharp at any print size."""

    def __init__(self, url: str, size: float = 32 * mm):
        super().__init__()
        self.matrix = _qr(url).get_matrix()
        self.size = size
        self.width = self.height = size

    def draw(self):
        cells = len(self.matrix)
        cell = self.size / cells
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for row, values in enumerate(self.matrix):
            for col, dark in enumerate(values):
                if dark:
                    canvas.rect(
                        col * cell, self.size - (row + 1) * cell, cell, cell, stroke=0, fill=1
                    )


def licence_pdf(licence: Licence, url: str) -> bytes:
    """The licence on one A4 page (more when it has many lines)."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Export licence {licence.number}",
        author="RareTrack",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    styles = getSampleStyleSheet()
    body = styles["BodyText"]

    def p(text) -> Paragraph:
        return Paragraph(escape(str(text)), body)

    holder = licence.organisation
    header = Table(
        [
            [
                [
                    Paragraph("Export licence for controlled rare earths", styles["Title"]),
                    Paragraph(f"<b>{escape(licence.number)}</b>", styles["Heading2"]),
                ],
                QrFlowable(url),
            ]
        ],
        colWidths=[None, 36 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    facts = [
        ["Holder", p(f"{holder.legal_name} {holder.native_name}".strip())],
        ["Unified social credit code", p(holder.uscc)],
        ["Licence type", p(LicenceType(licence.licence_type).label)],
        ["Status", p(licence.get_status_display())],
        ["Issued on", p(licence.issued_on.isoformat())],
        ["Valid until", p(licence.valid_until.isoformat())],
        ["Destination", p(licence.destination_country)],
        ["Port of exit", p(licence.port_of_exit)],
        ["Transport mode", p(licence.get_transport_mode_display())],
    ]
    facts_table = Table(facts, colWidths=[55 * mm, None])
    facts_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    line_rows = [["#", "Item", "Form", "HS code", "Granted", "Balance"]]
    for index, line in enumerate(licence.lines.all(), start=1):
        entry = line.catalogue_entry
        item = f"{entry.control_code}.{entry.sub_item} {entry.name}" if entry else "-"
        line_rows.append(
            [
                str(index),
                p(item),
                line.form,
                line.hs_code,
                f"{line.quantity_granted.normalize():f} {line.unit}",
                f"{line.balance.normalize():f} {line.unit}",
            ]
        )
    lines_table = Table(line_rows, colWidths=[8 * mm, None, 20 * mm, 26 * mm, 28 * mm, 28 * mm])
    lines_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef3")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (4, 1), (5, -1), "RIGHT"),
            ]
        )
    )
    story = [
        header,
        Spacer(1, 4 * mm),
        facts_table,
        Spacer(1, 6 * mm),
        Paragraph("Licensed items", styles["Heading3"]),
        lines_table,
        Spacer(1, 6 * mm),
        Paragraph("Conditions", styles["Heading3"]),
        p(licence.conditions or "None."),
        Spacer(1, 8 * mm),
        Paragraph("Verification", styles["Heading3"]),
        Paragraph(
            f"Verification code: <b>{escape(licence.verification_code)}</b>. "
            f"Check this licence at {escape(url.split('?')[0])} or scan the QR code.",
            body,
        ),
    ]
    document.build(story)
    return buffer.getvalue()
