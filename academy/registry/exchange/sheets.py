"""The published import templates: four sheets, each column headed in Chinese and English.

A header cell may hold the Chinese name, the English name, the column key, both names as the
template writes them ("网格编码 / Grid code") or a name rosters commonly use for the column
(``SYNONYMS``: 身份证号码, 手机号码, 文化程度, 用工性质, 入职时间 ...); spaces, required marks (``*``)
and a trailing note in brackets ("入职时间（年月日）") do not count. Column order is free, a 序号
column is read past, other unknown columns are refused.

The registry's exports of grids and workers use these same headers, so an export can be imported
again as it is. Columns marked ``informational`` are written by the export only (a worker's status,
the area's name): the template leaves them out and the import reads past them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    example: str = ""
    informational: bool = False  # exported for the reader, ignored by the import

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"

    def names(self) -> set[str]:
        return {normal(self.key), normal(self.zh), normal(self.en), normal(self.header)}


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    @property
    def title(self) -> str:
        return f"{self.zh} {self.en}"

    def names(self) -> set[str]:
        return {normal(self.key), normal(self.zh), normal(self.en), normal(self.title)}

    def lookup(self) -> dict[str, str]:
        """Every name a header may give a column of this sheet (normalised), to the column's key."""
        names = {name: c.key for c in self.columns for name in c.names()}
        for key, synonyms in SYNONYMS.get(self.key, {}).items():
            names.update({normal(synonym): key for synonym in synonyms})
        return names

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def template_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.informational)


NOTE_IN_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")


def normal(text) -> str:
    """A header as compared: no spaces, no required marks, no trailing note in brackets, lower case."""
    text = "".join(str(text or "").replace("\ufeff", "").split()).lower().strip("*＊")
    return NOTE_IN_BRACKETS.sub("", text) or text


AREAS = Sheet("areas", "区域", "Areas", (
    Column("code", "区域编码", "Area code", True, "320102001"),
    Column("name", "区域名称", "Area name", True, "梅园新村街道"),
))
GRIDS = Sheet("grids", "网格", "Grids", (
    Column("code", "网格编码", "Grid code", True, "320102001001001"),
    Column("name", "网格名称", "Grid name", True, "大行宫社区第一网格"),
    Column("kind", "网格类型", "Grid kind", True, "综合网格"),
    Column("unit_type", "单位类型", "Unit type", False, ""),
    Column("households", "户数", "Households", False, "320"),
    Column("residents", "人口", "Residents", False, "960"),
    Column("boundary_east", "东至", "East boundary", False, "太平北路"),
    Column("boundary_south", "南至", "South boundary", False, "长江路"),
    Column("boundary_west", "西至", "West boundary", False, "碑亭巷"),
    Column("boundary_north", "北至", "North boundary", False, "珠江路"),
    Column("responsible_unit", "责任单位", "Responsible unit", False, "大行宫社区居委会"),
    Column("valid_from", "启用日期", "Valid from", True, "2024-01-01"),
    Column("valid_to", "停用日期", "Valid to", False, ""),
    Column("community", "所属社区", "Community", informational=True),
))
WORKERS = Sheet("workers", "网格员", "Workers", (
    Column("number", "网格员编号", "Worker number", False, ""),  # names a registered worker; new ones leave it empty
    Column("id_number", "身份证号", "National ID number", True, "320102199005170012"),
    Column("name", "姓名", "Name", True, "王芳"),
    Column("gender", "性别", "Gender", False, "女"),
    Column("phone", "手机号", "Phone", False, "13912345678"),
    Column("education", "学历", "Education", True, "本科"),
    Column("political_status", "政治面貌", "Political status", True, "中共党员"),
    Column("employment", "用工类型", "Employment", True, "专职"),
    Column("area_code", "所属区域编码", "Employing area code", True, "320102001"),
    Column("hired_on", "入职日期", "Hired on", True, "2023-03-01"),
    Column("birth_date", "出生日期", "Date of birth", informational=True),
    Column("status", "状态", "Status", informational=True),
    Column("area_name", "所属区域", "Area", informational=True),
    Column("exited_on", "离职日期", "Exited on", informational=True),
))
ASSIGNMENTS = Sheet("assignments", "任职", "Assignments", (
    Column("id_number", "身份证号", "National ID number", True, "320102199005170012"),
    Column("grid_code", "网格编码", "Grid code", True, "320102001001001"),
    Column("role", "岗位", "Role", True, "专职网格员"),
    Column("starts_on", "开始日期", "Starts on", True, "2024-01-01"),
    Column("ends_on", "结束日期", "Ends on", False, ""),
))
SHEETS = (AREAS, GRIDS, WORKERS, ASSIGNMENTS)
# The names rosters made by hand commonly give the template's columns, by sheet and column key.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "areas": {"code": ("行政区划代码", "区划代码", "区域代码"), "name": ("名称", "区域名")},
    "grids": {"code": ("网格代码", "网格编号"), "name": ("网格名",), "households": ("总户数", "住户数"),
              "residents": ("人口数", "常住人口", "总人口"), "valid_from": ("启用时间", "设立日期")},
    "workers": {"id_number": ("身份证号码", "公民身份号码", "身份证", "证件号码"),
                "phone": ("手机号码", "联系电话", "手机", "电话", "联系方式"),
                "education": ("文化程度", "最高学历"), "employment": ("用工性质", "用工形式", "人员类别"),
                "political_status": ("党派",), "area_code": ("区域编码", "所属区域代码", "区域代码"),
                "hired_on": ("入职时间", "聘用时间", "聘用日期", "入职年月日")},
    "assignments": {"id_number": ("身份证号码", "公民身份号码", "身份证", "证件号码"),
                    "grid_code": ("网格代码", "网格编号", "所属网格编码"), "role": ("职务",),
                    "starts_on": ("任职日期", "上岗日期", "开始时间"), "ends_on": ("离任日期", "结束时间")},
}
IGNORED_HEADERS = frozenset({"序号", "序", "no", "no.", "#"})  # a row count, read past
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}


def match_columns(sheet: Sheet, headers: list) -> tuple[dict[int, str], list[str]]:
    """Map header positions to column keys; also the headers that name no column of ``sheet``."""
    lookup = sheet.lookup()
    mapping, unknown = {}, []
    for position, header in enumerate(headers):
        name = normal(header)
        if not name or name in IGNORED_HEADERS:
            continue
        if name in lookup and lookup[name] not in mapping.values():
            mapping[position] = lookup[name]
        else:
            unknown.append(str(header))
    return mapping, unknown


def guess_sheet(name: str | None, headers: list) -> Sheet | None:
    """The sheet a tab (by its name) or a CSV file (by its headers) holds."""
    if name:
        for sheet in SHEETS:
            if normal(name) in sheet.names():
                return sheet
    best, best_score = None, 0
    for sheet in SHEETS:
        mapping, unknown = match_columns(sheet, headers)
        required = {c.key for c in sheet.columns if c.required}
        if required <= set(mapping.values()) and len(mapping) - len(unknown) > best_score:
            best, best_score = sheet, len(mapping) - len(unknown)
    return best
