from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalise_uscc(value: str) -> str:
    return uscc.compact(value or "")


def validate_uscc(value: str) -> None:
    """A unified social credit code: 18 characters with a valid check digit (GB 32100-2015)."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(normalise_uscc(value))},
            code="uscc_length",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _(
                "The check digit of this unified social credit code is wrong; please re-type it "
                "from the business licence."
            ),
            code="uscc_checksum",
        ) from None
    except (InvalidFormat, StdnumError):
        raise ValidationError(
            _(
                "This is not a unified social credit code: it uses digits and capital letters "
                "except I, O, S, V and Z."
            ),
            code="uscc_format",
        ) from None
