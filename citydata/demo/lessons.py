"""The demo city's lessons: short Chinese lessons for the online courses."""
from __future__ import annotations

from decimal import Decimal

from courses.lessons.models import Completion
from courses.lessons.operations import save_lesson

LESSONS = {
    "GA-ON-DISPUTE": [
        ("第一课 矛盾纠纷排查的“三早”", "## 早发现、早报告、早化解\n\n网格员在**一日双巡**和入户走访中留意以下信号：\n\n"
         "- 邻里因噪音、漏水、停车反复争吵；\n- 物业费、维修基金引起的集体不满；\n- 家庭矛盾中出现威胁、伤害的言语。\n\n"
         "发现后当日在平台登记，按风险等级（低、中、高）处理：高风险的**立即**报告社区和派出所。", 1, Completion.MARK),
        ("第二课 现场调解的五个步骤", "1. 分开倾听，各自说完；\n2. 复述事实，确认分歧；\n3. 释法说理，讲清规则；\n"
         "4. 提出方案，让双方选择；\n5. 书面记录，约定回访。\n\n> 调解不成的，不要硬调：及时移交人民调解委员会或“吹哨”联动。", 1, Completion.MARK),
        ("第三课 “吹哨报到”怎么吹", "当纠纷涉及多个部门职责、社区和街道都无法解决时，由街道**吹哨**，"
         "相关职能部门限时报到处置。网格员要在平台上补充现场照片、当事人诉求和已做的工作，并跟踪到结案回访。", 1, Completion.TIME),
    ],
    "GA-ON-HAZARD": [
        ("第一课 电动自行车充电隐患", "楼道、门厅、安全出口**禁止**停放和充电。发现“飞线充电”要拍照上报，"
         "并提醒住户使用集中充电桩。", 1, Completion.MARK),
        ("第二课 燃气泄漏先期处置", "闻到燃气味：不开关电器、不使用明火、打开门窗、到室外拨打燃气抢修电话，"
         "同时疏散周边住户并在平台报告。", 1, Completion.MARK),
    ],
    "GA-PRE-2026-01": [
        ("导学 网格员的一天", "早巡、入户、上报、晚巡：本课用一名网格员的一天介绍“3+N”职责。", 1, Completion.MARK),
    ],
}


def create_demo_lessons(demo: dict) -> None:
    """Add the lessons to the demo courses (when the enrollment demo created them)."""
    courses = demo.get("courses") or {}
    for code, lessons in LESSONS.items():
        course = courses.get(code)
        if course is None:
            continue
        for position, (title, body, hours, completion) in enumerate(lessons):
            save_lesson(None, course, None, title=title, body_markdown=body, video_url="", hours=Decimal(hours),
                        completion=completion, min_seconds=180, position=position, published=True)
