"""Forms of the registry; every field is length-checked and every choice comes from a list."""
from __future__ import annotations

import json
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.database import city_today
from academy.registry import idnumbers, labels
from academy.registry.models import (
    AssignmentRole,
    Education,
    Employment,
    Gender,
    GridKind,
    PoliticalStatus,
    UnitType,
    WorkerStatus,
)
from academy.registry.operations.workers import find_worker_by_id_number
from academy.web.numbers import DateField, IntegerField
from academy.web.sorting import sort_field

MAX_GEOJSON = 100_000


class AreaForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Regexp(r"^(\d{6}|\d{9}|\d{12})$",
                       message=_l("A district has 6 digits, a street 9, a community 12."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Add area"))


class GridEditForm(FlaskForm):
    name = StringField(_l("Grid name"), validators=[DataRequired(), Length(max=100)])
    unit_type = SelectField(_l("Unit type (exclusive grids)"), choices=[], validators=[Optional()])
    households = IntegerField(_l("Households"), validators=[DataRequired(), NumberRange(0, 100_000)], default=0)
    residents = IntegerField(_l("Residents"), validators=[Optional(), NumberRange(0, 1_000_000)], default=0)
    boundary_east = StringField(_l("East boundary"), validators=[Length(max=200)])
    boundary_south = StringField(_l("South boundary"), validators=[Length(max=200)])
    boundary_west = StringField(_l("West boundary"), validators=[Length(max=200)])
    boundary_north = StringField(_l("North boundary"), validators=[Length(max=200)])
    responsible_unit = StringField(_l("Responsible unit"), validators=[Length(max=200)])
    boundary_geojson = TextAreaField(_l("Boundary polygon (GeoJSON, optional)"),
                                     validators=[Optional(), Length(max=MAX_GEOJSON)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit_type.choices = [("", "—")] + labels.choices(UnitType)

    def validate_boundary_geojson(self, field) -> None:
        try:
            value = json.loads(field.data)
        except ValueError as error:
            raise ValidationError(_l("Not valid JSON.")) from error
        if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon") \
                or not isinstance(value.get("coordinates"), list):
            raise ValidationError(_l("Give a GeoJSON Polygon or MultiPolygon geometry."))

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in (
            "name", "households", "boundary_east", "boundary_south", "boundary_west", "boundary_north",
            "responsible_unit")}
        values["residents"] = self.residents.data or 0
        values["unit_type"] = UnitType(self.unit_type.data) if self.unit_type.data else None
        values["boundary_geojson"] = json.loads(self.boundary_geojson.data) if self.boundary_geojson.data else None
        return values


class GridCreateForm(GridEditForm):
    community = SelectField(_l("Community"), choices=[], validators=[DataRequired()])
    kind = SelectField(_l("Grid kind"), choices=[], validators=[DataRequired()])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()], default=date.today)
    submit = SubmitField(_l("Create grid"))

    def __init__(self, communities: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.community.choices = communities
        self.kind.choices = labels.choices(GridKind)

    def validate_unit_type(self, field) -> None:
        if self.kind.data == GridKind.EXCLUSIVE.value and not field.data:
            raise ValidationError(_l("An exclusive grid names the kind of unit it covers."))


class EndForm(FlaskForm):
    on = DateField(_l("Ends on"), validators=[DataRequired()], default=date.today)
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("End"))


class SplitForm(FlaskForm):
    on = DateField(_l("Split on"), validators=[DataRequired()], default=date.today)
    parts = TextAreaField(_l("New grids: one per line, name and households separated by a comma"),
                          validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Split the grid"))

    def validate_parts(self, field) -> None:
        self.parsed = []
        for line in field.data.splitlines():
            if not line.strip():
                continue
            name, _sep, households = line.replace("，", ",").rpartition(",")
            if not name.strip() or len(name.strip()) > 100 or not households.strip().isdigit() \
                    or int(households) > 100_000:
                raise ValidationError(_l("Write each line as: name, households."))
            self.parsed.append({"name": name.strip(), "households": int(households)})
        if not 2 <= len(self.parsed) <= 20:
            raise ValidationError(_l("A split makes 2 to 20 grids."))


class WorkerEditForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=50)])
    gender = SelectField(_l("Gender"), choices=[])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=20),
                        Regexp(r"^\+?[0-9][0-9 \-]{2,19}$", message=_l("Not a phone number."))])
    education = SelectField(_l("Education"), choices=[])
    political_status = SelectField(_l("Political status"), choices=[])
    employment = SelectField(_l("Employment"), choices=[])
    area = SelectField(_l("Employing area"), choices=[], validators=[DataRequired()])
    hired_on = DateField(_l("Hired on"), validators=[DataRequired()])
    submit = SubmitField(_l("Save"))

    def __init__(self, areas: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = areas
        for name, enum_cls in (("gender", Gender), ("education", Education),
                               ("political_status", PoliticalStatus), ("employment", Employment)):
            getattr(self, name).choices = labels.choices(enum_cls)

    def validate_hired_on(self, field) -> None:
        if field.data and field.data > city_today():
            raise ValidationError(_l("The hiring date cannot be in the future."))

    def values(self) -> dict:
        return {"name": self.name.data.strip(), "gender": Gender(self.gender.data), "phone": self.phone.data or "",
                "education": Education(self.education.data),
                "political_status": PoliticalStatus(self.political_status.data),
                "employment": Employment(self.employment.data), "hired_on": self.hired_on.data}


class WorkerCreateForm(WorkerEditForm):
    id_number = StringField(_l("National ID number"), validators=[DataRequired(), Length(max=30)])
    submit = SubmitField(_l("Record worker"))

    def validate_id_number(self, field) -> None:
        if not idnumbers.is_valid(field.data):
            raise ValidationError(_l("The national ID number is not valid (length, date of birth or check digit)."))
        if find_worker_by_id_number(field.data) is not None:
            raise ValidationError(_l("A worker with this national ID number is already recorded."))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[])
    on = DateField(_l("Date (for an exit)"), validators=[Optional()], default=date.today)
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Change status"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [(s.value, labels.label(s)) for s in
                               (WorkerStatus.IN_TRAINING, WorkerStatus.SUSPENDED, WorkerStatus.EXITED)]


class AssignmentForm(FlaskForm):
    grid_code = StringField(_l("Grid code"), validators=[DataRequired(), Regexp(r"^\d{15}$",
                            message=_l("A grid code has 15 digits."))])
    role = SelectField(_l("Role"), choices=[])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()], default=date.today)
    submit = SubmitField(_l("Assign"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = labels.choices(AssignmentRole)


class DepartmentForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20),
                       Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, dash and underscore only."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    area = SelectField(_l("Area served"), choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Add department"))

    def __init__(self, areas: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = areas


class DepartmentEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    active = BooleanField(_l("Active"))
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    file = FileField(_l("Workbook or CSV file"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["xlsx", "csv"], _l("Upload a .xlsx or .csv file."))])
    create_logins = BooleanField(_l("Create log-ins for new workers"),
                                 description=_l("Each worker this file adds gets a log-in (username: the worker number), "
                                                "to be activated with an activation letter."))
    submit = SubmitField(_l("Check and import"))


class StaffImportForm(FlaskForm):
    file = FileField(_l("Staff workbook"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["xlsx"], _l("Upload a .xlsx workbook."))])
    submit = SubmitField(_l("Check and create log-ins"))


class PhotoForm(FlaskForm):
    """The worker's photo: the file is checked by its content when the operation takes it."""

    photo = FileField(_l("Photo"), validators=[FileRequired(_l("Choose a photo."))],
                      description=_l("A recent head-and-shoulders photo, JPEG, PNG or WebP, at most 5 MB; "
                                     "it is printed on the certificates."),
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})
    submit = SubmitField(_l("Upload the photo"))


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (revealing an ID number)."""

    submit = SubmitField(_l("Show the whole number"))


class ListFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=50)])
    area = StringField(_l("Area"), validators=[Optional(), Regexp(r"^\d{4,12}$")], render_kw={"data-picker": "area"})
    kind = SelectField(_l("Kind"), choices=[], validators=[Optional()])
    state = SelectField(_l("State"), choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    login = SelectField(_l("Log-in"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("All kinds"))] + labels.choices(GridKind)
        self.state.choices = [("active", _l("In force")), ("ended", _l("Ended")), ("all", _l("All"))]
        self.status.choices = [("", _l("All statuses"))] + labels.choices(WorkerStatus)
        self.login.choices = [("", _l("Any")), ("awaiting", _l("Awaiting activation"))]


class WorkerFilterForm(ListFilterForm):
    """The worker list's filter, with its sort select."""

    sort = sort_field(list(labels.WORKER_SORT_LABELS.items()))


class WorkerAccountsForm(FlaskForm):
    """"Create log-ins for these workers": an area of the HR's own and a status, then a confirmation
    that says how many (``confirmed`` is set by the confirmation's button)."""

    area = SelectField(_l("Area"), choices=[], validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    confirmed = HiddenField(default="")
    submit = SubmitField(_l("Count the workers"))

    def __init__(self, area_options: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = area_options
        self.status.choices = [("", _l("All statuses"))] + [
            choice for choice in labels.choices(WorkerStatus) if choice[0] != WorkerStatus.EXITED.value]
