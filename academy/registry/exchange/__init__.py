"""Spreadsheet exchange: the published import templates, reading .xlsx/.csv, the all-or-nothing
import, and exports of any list with formula-injection neutralised."""
