"""Catalog errors, each carrying a seed-001 code so the API renders it without translation.

::

    CatalogError (TillbridgeError)
    ├── ProductNotFound        RES_NOT_FOUND
    ├── ProductDeleted         RES_DELETED
    ├── DuplicateSku           VAL_DUPLICATE
    ├── DuplicateBarcode       VAL_DUPLICATE
    ├── ProductInvalid         VAL_* (one field) or VAL_MULTIPLE_ERRORS
    ├── ImportFileInvalid      VAL_INVALID_FORMAT (the file as a whole cannot be read)
    └── TaskNotFound           RES_NOT_FOUND (an import/export run)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.errors import TillbridgeError

__all__ = [
    "CatalogError",
    "DuplicateBarcode",
    "DuplicateSku",
    "FieldError",
    "ImportFileInvalid",
    "ProductDeleted",
    "ProductInvalid",
    "ProductNotFound",
    "TaskNotFound",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: the wire's ``{field, code, message}``."""

    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class CatalogError(TillbridgeError):
    """The catalog could not do what was asked."""

    code = "SYS_INTERNAL_ERROR"


class ProductNotFound(CatalogError):
    """Product not found."""

    code = "RES_NOT_FOUND"


class ProductDeleted(CatalogError):
    """Product has been deleted."""

    code = "RES_DELETED"


class DuplicateSku(CatalogError):
    """A product with this SKU already exists."""

    code = "VAL_DUPLICATE"


class DuplicateBarcode(CatalogError):
    """This barcode already belongs to another product."""

    code = "VAL_DUPLICATE"


class ImportFileInvalid(CatalogError):
    """The file cannot be read as CSV or XLSX."""

    code = "VAL_INVALID_FORMAT"


class TaskNotFound(CatalogError):
    """No import or export run with this id."""

    code = "RES_NOT_FOUND"


class ProductInvalid(CatalogError):
    """One or more product fields are invalid."""

    code = "VAL_MULTIPLE_ERRORS"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        if len(self.errors) == 1:
            only = self.errors[0]
            super().__init__(only.message, code=only.code, field=only.field)
        else:
            super().__init__(details={"errors": [e.as_dict() for e in self.errors]})
