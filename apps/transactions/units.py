"""Exact unit conversion with Decimal: kg is the legal base unit, tonnes and grams convert exactly.

A quantity that cannot be written with three decimals in the target unit is refused, never
rounded: a licence balance must add up to the gram.
"""

from decimal import Decimal, InvalidOperation, localcontext

UNITS = ("kg", "t", "g")
TO_KG = {"kg": Decimal(1), "t": Decimal(1000), "g": Decimal("0.001")}
PLACES = Decimal("0.001")
MAX_QUANTITY = Decimal("999999999999999.999")  # 18 digits, 3 decimals


def convert(quantity: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """`quantity` in `to_unit`, exactly, or None when it needs more than three decimals."""
    if from_unit == to_unit:  # the common case, without a 60-digit context
        if abs(quantity) > MAX_QUANTITY:
            return None
        exact = quantity.quantize(PLACES)
        return exact if exact == quantity else None
    with localcontext() as ctx:
        ctx.prec = 60
        result = quantity * TO_KG[from_unit] / TO_KG[to_unit]
        try:
            exact = result.quantize(PLACES)
        except InvalidOperation:
            return None
        if exact != result or abs(exact) > MAX_QUANTITY:
            return None
        return exact


def fmt(quantity: Decimal, unit: str) -> str:
    """12.500 kg: always three decimals, as the ledger keeps them."""
    return f"{quantity.quantize(PLACES)} {unit}"
