"""Building import files for tests: a small valid city as rows, written as .xlsx or .csv."""
from __future__ import annotations

from datetime import date

from academy.exports import Table, csv_bytes, xlsx_bytes
from academy.registry.exchange.sheets import SHEETS_BY_KEY
from academy.registry.idnumbers import make_number

ID_A = make_number("320102", date(1988, 4, 9), 21)
ID_B = make_number("320102", date(1993, 11, 30), 22)


def city_rows() -> dict[str, list[dict]]:
    return {
        "areas": [{"code": "3201", "name": "南京市"}, {"code": "320102", "name": "玄武区"},
                  {"code": "320102002", "name": "梅园新村街道"}, {"code": "320102002001", "name": "大行宫社区"}],
        "grids": [
            {"code": "320102002001001", "name": "大行宫第一网格", "kind": "综合网格", "households": 320,
             "residents": 900, "boundary_east": "太平北路", "valid_from": "2024-01-01"},
            {"code": "320102002001002", "name": "大行宫第二网格", "kind": "comprehensive", "households": 410,
             "valid_from": date(2024, 1, 1)},
            {"code": "320102002001900", "name": "第九中学专属网格", "kind": "专属网格", "unit_type": "学校",
             "valid_from": "2024/01/01"},
        ],
        "workers": [
            {"id_number": ID_A, "name": "王芳", "gender": "女", "phone": "13912345678", "education": "本科",
             "political_status": "中共党员", "employment": "专职", "area_code": "320102002", "hired_on": "2023-03-01"},
            {"id_number": ID_B, "name": "张伟", "education": "大专", "political_status": "群众",
             "employment": "full_time", "area_code": "320102", "hired_on": "2022-07-15"},
        ],
        "assignments": [
            {"id_number": ID_A, "grid_code": "320102002001001", "role": "专职网格员", "starts_on": "2024-03-01"},
            {"id_number": ID_B, "grid_code": "320102002001002", "role": "网格长", "starts_on": "2024-03-01"},
        ],
    }


def sheet_table(key: str, rows: list[dict]) -> tuple[str, list[str], list[list]]:
    sheet = SHEETS_BY_KEY[key]
    return sheet.title, [c.header for c in sheet.columns], [[row.get(c.key, "") for c in sheet.columns] for row in rows]


def xlsx(rows: dict[str, list[dict]]) -> bytes:
    return xlsx_bytes([Table(*sheet_table(key, value)) for key, value in rows.items()])


def csv_file(key: str, rows: list[dict], encoding: str = "utf-8") -> bytes:
    _title, headers, table = sheet_table(key, rows)
    return csv_bytes(headers, table, encoding)
