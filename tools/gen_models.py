"""Generate sptui/spapi/models/*.py from Amazon's Services API model.

Run ``python tools/gen_models.py`` after replacing sptui/spapi/data/services.json. The test suite
regenerates in memory and fails if the checked-in files have drifted, so the models can never
silently disagree with the contract.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = ROOT / "sptui" / "spapi" / "data" / "services.json"
OUT_DIR = ROOT / "sptui" / "spapi" / "models"

# One module per concept; a module may only use definitions from modules listed before it.
GROUPS: dict[str, list[str]] = {
    "common": ["Error", "ErrorList", "Warning", "WarningList"],
    "appointments": [
        "AppointmentId",
        "AppointmentTime",
        "AppointmentTimeInput",
        "Technician",
        "Poa",
        "Appointment",
        "RescheduleReasonCode",
        "AddAppointmentRequest",
        "RescheduleAppointmentRequest",
        "SetAppointmentResponse",
        "AppointmentResource",
        "AppointmentResources",
        "AssignAppointmentResourcesRequest",
        "AssignAppointmentResourcesResponse",
    ],
    "jobs": [
        "ServiceJobId",
        "OrderId",
        "ScopeOfWork",
        "Seller",
        "ServiceJobProvider",
        "MoneyAmount",
        "Payment",
        "Buyer",
        "ItemDeliveryPromise",
        "ItemDelivery",
        "LinkedAsset",
        "AssociatedItem",
        "Address",
        "ServiceLocation",
        "ServiceJob",
        "JobListing",
        "GetServiceJobByServiceJobIdResponse",
        "GetServiceJobsResponse",
        "CancelServiceJobByServiceJobIdResponse",
        "CompleteServiceJobByServiceJobIdResponse",
    ],
    "fulfillment": [
        "DateTimeRange",
        "FulfillmentTime",
        "FulfillmentDocument",
        "FulfillmentDocuments",
        "SetAppointmentFulfillmentDataRequest",
    ],
    "schedules": [
        "DayOfWeek",
        "Recurrence",
        "AvailabilityRecord",
        "AvailabilityRecords",
        "UpdateScheduleRequest",
        "UpdateScheduleRecord",
        "UpdateScheduleResponse",
    ],
    "reservations": [
        "Reservation",
        "CreateReservationRequest",
        "UpdateReservationRequest",
        "CreateReservationRecord",
        "UpdateReservationRecord",
        "CreateReservationResponse",
        "UpdateReservationResponse",
        "CancelReservationResponse",
    ],
    "capacity": [
        "CapacityType",
        "RangeSlotCapacityQuery",
        "FixedSlotCapacityQuery",
        "RangeSlot",
        "RangeCapacity",
        "RangeSlotCapacity",
        "RangeSlotCapacityErrors",
        "FixedSlot",
        "FixedSlotCapacity",
        "FixedSlotCapacityErrors",
    ],
    "slots": ["AppointmentSlot", "AppointmentSlotReport", "GetAppointmentSlotsResponse"],
    "documents": [
        "EncryptionDetails",
        "ServiceDocumentUploadDestination",
        "ServiceUploadDocument",
        "CreateServiceDocumentUploadDestination",
    ],
}

ENUM_NAMES = {
    ("ServiceJob", "serviceJobStatus"): "ServiceJobStatus",
    ("Appointment", "appointmentStatus"): "AppointmentStatus",
    ("Poa", "poaType"): "PoaType",
    ("AssociatedItem", "itemStatus"): "ItemStatus",
    ("ServiceLocation", "serviceLocationType"): "ServiceLocationType",
    ("Error", "errorLevel"): "ErrorLevel",
    ("Reservation", "type"): "ReservationType",
    ("AppointmentSlotReport", "schedulingType"): "SchedulingType",
    ("ServiceUploadDocument", "contentType"): "DocumentContentType",
    ("EncryptionDetails", "standard"): "EncryptionStandard",
}

# Amazon rejects appointment and fulfillment times that are not in UTC (see the sandbox pairs).
UTC_FIELDS = {
    ("AppointmentTimeInput", "startTime"),
    ("FulfillmentTime", "startTime"),
    ("FulfillmentTime", "endTime"),
    ("DateTimeRange", "startTime"),
    ("DateTimeRange", "endTime"),
}

# Buyer PII: kept out of repr() so a stray log line or traceback cannot print it, and
# registered with the log redactor when parsed.
PII_MODELS = {"Buyer", "Address"}
NOT_PII = {("Buyer", "buyerId"), ("Buyer", "isPrimeMember")}
# Values that single a buyer out; city, state and country alone do not, and masking them would
# blank out ordinary words in logs.
REDACTED_PII = {
    ("Buyer", "name"),
    ("Buyer", "phone"),
    ("Address", "name"),
    ("Address", "addressLine1"),
    ("Address", "addressLine2"),
    ("Address", "addressLine3"),
    ("Address", "postalCode"),
    ("Address", "phone"),
}


def snake(name: str) -> str:
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


class Generator:
    def __init__(self, model: dict[str, Any]) -> None:
        self.definitions: dict[str, Any] = model["definitions"]
        self.home: dict[str, str] = {}
        for module, names in GROUPS.items():
            for name in names:
                self.home[name] = module
        missing = set(self.definitions) - set(self.home)
        if missing:
            raise SystemExit(f"definitions with no module in GROUPS: {sorted(missing)}")
        self.enums: dict[str, list[str]] = {}  # enum class name -> values, per module pass
        self.answers = answer_models(model)
        self.extra_classes: list[str] = []

    # ---- types -------------------------------------------------------------------------
    def rule(self, schema: dict[str, Any], utc: bool = False) -> str | None:
        args = []
        for key, arg in (
            ("minLength", "min_length"),
            ("maxLength", "max_length"),
            ("minimum", "ge"),
            ("maximum", "le"),
            ("multipleOf", "multiple_of"),
            ("minItems", "min_items"),
            ("maxItems", "max_items"),
        ):
            if key in schema:
                args.append(f"{arg}={schema[key]!r}")
        if "pattern" in schema:
            args.append(f"pattern={schema['pattern']!r}")
        if utc:
            args.append("utc=True")
        if "enum" in schema and not args:
            return "Rule()"
        return f"Rule({', '.join(args)})" if args else None

    def type_of(self, schema: dict[str, Any], owner: str, field: str, module: str) -> str:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            self.uses.add(name)
            # An enum named by reference is as closed on requests as one written in place.
            return f"Annotated[{name}, Rule()]" if "enum" in self.definitions[name] else name
        kind = schema.get("type")
        base: str
        if kind == "string" and "enum" in schema:
            base = ENUM_NAMES.get((owner, field)) or owner + field[0].upper() + field[1:]
            self.enums[base] = schema["enum"]
        elif kind == "string" and schema.get("format") == "date-time":
            base = "WireDateTime"
        elif kind == "string":
            base = "str"
        elif kind == "integer":
            base = "int"
        elif kind == "number":
            base = "int" if schema.get("format") in ("int32", "int64") else "Money"
        elif kind == "boolean":
            base = "bool"
        elif kind == "array":
            item = self.type_of(schema["items"], owner, field, module)
            base = f"list[{item}]"
        elif kind == "object" and schema.get("properties"):
            base = owner + field[0].upper() + field[1:]
            self.extra_classes.append(self.model_class(base, schema, module))
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            value = self.type_of(schema["additionalProperties"], owner, field, module)
            base = f"dict[str, {value}]"
        elif kind == "object":
            base = "dict[str, Any]"
        else:
            raise SystemExit(f"unhandled schema for {owner}.{field}: {schema}")
        rule = self.rule(schema, utc=(owner, field) in UTC_FIELDS)
        return f"Annotated[{base}, {rule}]" if rule else base

    # ---- emitters ----------------------------------------------------------------------
    def model_class(self, name: str, schema: dict[str, Any], module: str) -> str:
        required = schema.get("required", [])
        doc = first_sentence(schema.get("description", "")) or f"{name} in Amazon's model."
        base = (
            "PiiModel"
            if name in PII_MODELS
            else "AnswerModel"
            if name in self.answers
            else "WireModel"
        )
        lines = [f"class {name}({base}):", f'    """{doc}"""', ""]
        redacted = [snake(f) for f in schema.get("properties", {}) if (name, f) in REDACTED_PII]
        if redacted:
            names = ", ".join(repr(f) for f in redacted)
            lines.append(f"    pii_fields: ClassVar[tuple[str, ...]] = ({names},)")
        if required:
            names = ", ".join(repr(snake(r)) for r in required)
            lines.append(f"    required_fields: ClassVar[tuple[str, ...]] = ({names},)")
        for field, prop in schema.get("properties", {}).items():
            annotation = self.type_of(prop, name, field, module)
            hide = name in PII_MODELS and (name, field) not in NOT_PII
            extra = ", repr=False" if hide else ""
            lines.append(
                f"    {snake(field)}: {annotation} | None = Field(None, alias={field!r}{extra})"
            )
        return "\n".join(lines)

    def alias(self, name: str, schema: dict[str, Any], module: str) -> str:
        doc = first_sentence(schema.get("description", ""))
        if schema.get("type") == "string" and "enum" in schema:
            self.enums[name] = schema["enum"]
            return ""
        annotation = self.type_of(schema, name, "", module)
        comment = f"  # {doc}" if doc and len(doc) < 60 else ""
        return f"{name} = {annotation}{comment}"

    def module(self, module: str) -> str:
        self.uses: set[str] = set()
        self.enums = {}
        body: list[str] = []
        for name in GROUPS[module]:
            schema = self.definitions[name]
            self.extra_classes = []
            is_model = schema.get("type", "object") == "object" and "properties" in schema
            text = (
                self.model_class(name, schema, module)
                if is_model
                else self.alias(name, schema, module)
            )
            body.extend(self.extra_classes)
            if text:
                body.append(text)
        enum_text = [
            f"class {enum}(OpenStrEnum):\n"
            + "\n".join(f"    {value} = {value!r}" for value in values)
            for enum, values in self.enums.items()
        ]
        imports: dict[str, set[str]] = {}
        local = set(GROUPS[module])
        for used in sorted(self.uses - local):
            home = self.home[used]
            if list(GROUPS).index(home) >= list(GROUPS).index(module):
                raise SystemExit(f"{module} uses {used} from later module {home}")
            imports.setdefault(home, set()).add(used)
        header = [
            f'"""Generated by tools/gen_models.py from Amazon\'s model: {module}. Do not edit."""',
            "",
            # No postponed annotations: the modules are in dependency order, and real annotations
            # spare pydantic an eval() per field at import (a third of the start-up cost).
            "from typing import Annotated, Any, ClassVar",
            "",
            "from pydantic import Field",
            "",
            "from .base import (AnswerModel, Money, OpenStrEnum, PiiModel, Rule, WireDateTime,"
            " WireModel)",
        ]
        for home, names in imports.items():
            header.append(f"from .{home} import {', '.join(sorted(names))}")
        code = "\n".join(header) + "\n\n\n" + "\n\n\n".join(enum_text + body) + "\n"
        return code

    def package_init(self) -> str:
        lines = ['"""Typed models of every definition in Amazon\'s Services API model."""', ""]
        exported: list[str] = []
        for module in GROUPS:
            text = self.module(module)
            names = sorted(set(re.findall(r"^(?:class )?(\w+)(?:\(| = )", text, re.M)))
            lines.append(f"from .{module} import {', '.join(names)}")
            exported.extend(names)
        lines.append(
            "from .base import LENIENT, AnswerModel, OpenStrEnum, Rule, WireDateTime, WireModel, "
            "format_wire_datetime"
        )
        exported.extend(
            [
                "LENIENT",
                "AnswerModel",
                "OpenStrEnum",
                "Rule",
                "WireDateTime",
                "WireModel",
                "format_wire_datetime",
            ]
        )
        lines.append("")
        lines.append("__all__ = [" + ", ".join(repr(n) for n in sorted(exported)) + "]")
        return "\n".join(lines) + "\n"


def answer_models(model: dict[str, Any]) -> set[str]:
    """Definitions that are a whole 2xx answer of some operation (they carry a request id)."""
    found = set()
    for methods in model["paths"].values():
        for method, spec in methods.items():
            if method == "parameters":
                continue
            for status, answer in spec["responses"].items():
                ref = answer.get("schema", {}).get("$ref", "")
                if status.startswith("2") and ref:
                    found.add(ref.rsplit("/", 1)[1])
    return found


def first_sentence(text: str) -> str:
    text = " ".join(text.split()).replace('"', "'").replace("\\", "/")
    match = re.match(r"(.+?\.)(\s|$)", text)
    return (match.group(1) if match else text)[:200]


def render() -> dict[Path, str]:
    model = json.loads(MODEL_FILE.read_text())
    gen = Generator(model)
    files = {OUT_DIR / f"{module}.py": gen.module(module) for module in GROUPS}
    files[OUT_DIR / "__init__.py"] = gen.package_init()
    return {path: ruff_format(path, text) for path, text in files.items()}


def ruff_format(path: Path, text: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    fixed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--fix", "--stdin-filename", str(path), "-"],
        input=result.stdout,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return fixed.stdout or result.stdout


def main() -> None:
    for path, text in render().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
