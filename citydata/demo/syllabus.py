"""The demo city's first unified syllabus for grid workers, its committee, branches and trainers.

The content is written for this project: seven modules a new grid worker needs (policy and law,
base information collection, patrol and hazards, dispute mediation, special groups, the platform,
emergencies), each unit with hours, objectives and an assessment standard.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from academy.extensions import db
from academy.registry.models import Area, AreaLevel
from courses.syllabus import operations
from courses.syllabus.models import ReviewDecision, VersionStatus

# (code, title, objectives, theory, practice, assessment standard, case categories). The case categories are
# the codes of the city's top-level categories (citydata/demo/case_builder.py CATEGORIES, which the benchmark
# city makes too): the training needs recommend a unit's courses by them, and the training effect measures
# a course in them. A unit on work no case category records (information collection, the platform) names none.
SYLLABUS = [
    ("M1", "政策法规与网格职责", "理解网格化社会治理的政策依据和网格员的职责边界。", [
        ("M1.1", "网格化社会治理政策概览", "说明“三级平台、四级网格”和市区街居网格五级联动的结构。", 3, 0,
         "闭卷笔试：能正确说出网格层级及各级职责，正确率不低于80%。", []),
        ("M1.2", "网格员“3+N”职责与工作纪律", "掌握基础信息采集、隐患巡查处置、服务群众三项基本职责和专项任务的边界。", 2, 1,
         "情景题：对给定事项判断是否属于网格员职责并说明理由。", []),
        ("M1.3", "常用法律法规与依法履职", "熟悉个人信息保护、信访、安全生产、消防等常用法规要点。", 4, 0,
         "笔试：法规要点判断题与案例分析各一组，及格线60分。", ["OPN"]),
    ]),
    ("M2", "基础信息采集", "做到“人、地、事、物、组织”底数清、情况明。", [
        ("M2.1", "人口与房屋信息采集规范", "按标准采集实有人口、实有房屋信息，区分户籍、流动和境外人员。", 2, 2,
         "实操：在系统中完整录入5户样例信息，字段错误不超过1处。", []),
        ("M2.2", "入户走访与信息核实", "掌握入户走访礼仪、核实方法与一户一档的更新要求。", 1, 3,
         "模拟走访：按走访清单完成一次入户，核实记录完整。", ["SRV"]),
        ("M2.3", "数据安全与个人信息保护", "知道哪些信息可以采集、如何保管，杜绝信息泄露。", 2, 0,
         "笔试：数据安全情形判断，全部正确方可通过。", []),
    ]),
    ("M3", "巡查与隐患处置", "落实一日双巡，及时发现、上报并跟踪处置各类隐患。", [
        ("M3.1", "网格巡查路线与“一日双巡”", "制定本网格巡查路线，掌握巡查重点时段与重点部位。", 1, 3,
         "实操：为样例网格制定巡查路线并说明重点部位。", ["HAZ"]),
        ("M3.2", "安全隐患识别（消防、燃气、电动自行车）", "识别常见消防、燃气、电动车充电、高空坠物等隐患。", 3, 2,
         "图片辨识：20张现场照片中识别隐患，正确率不低于85%。", ["HAZ"]),
        ("M3.3", "事件上报、分流与限时办结", "按“采集、上传、分流、督办、处理、反馈”闭环上报，理解红黄绿灯时限。", 2, 2,
         "系统实操：完成一条事件从上报到反馈的全流程。", ["HAZ", "CTY"]),
    ]),
    ("M4", "矛盾纠纷排查调解", "把矛盾化解在基层，做到小事不出网格。", [
        ("M4.1", "矛盾纠纷排查与风险研判", "掌握邻里、物业、家庭等常见纠纷的排查方法和风险等级判断。", 2, 1,
         "案例分析：对3个纠纷案例作出风险等级判断并说明依据。", ["DIS"]),
        ("M4.2", "调解技巧与沟通", "运用倾听、共情、释法说理等技巧开展现场调解，把握移交时机。", 2, 4,
         "角色扮演：完成一次邻里纠纷模拟调解，由两名考官按评分表评分，70分及格。", ["DIS"]),
        ("M4.3", "“吹哨报到”与多部门联动", "知道何时、如何向街道和职能部门吹哨，跟踪联动处置结果。", 2, 0,
         "笔试：联动流程排序题与情景题。", ["DIS", "CTY"]),
    ]),
    ("M5", "服务特殊群体", "为老、弱、病、残、困等群体提供精准服务。", [
        ("M5.1", "独居老人与困难群众关爱服务", "建立关爱台账，掌握定期探访、紧急联系与救助申请的流程。", 2, 2,
         "实操：为一名样例老人建立关爱台账并制定探访计划。", ["SRV"]),
        ("M5.2", "残疾人、重点人群服务与转介", "了解残疾人帮扶政策和重点人群服务管理的转介渠道。", 2, 1,
         "情景题：为给定对象选择正确的政策和转介部门。", ["SRV"]),
    ]),
    ("M6", "网格平台与移动终端使用", "熟练使用网格学院和网格治理平台，做到“一次采集、多方共享”。", [
        ("M6.1", "网格治理平台操作", "掌握事件上报、走访记录、信息维护等平台功能。", 1, 3,
         "系统实操考核：限定时间内完成指定操作，全部正确为合格。", []),
        ("M6.2", "移动学习与在线考试", "会用手机在网格学院学习课程、参加在线考试、查看学时。", 1, 1,
         "实操：在手机上完成一节课程学习并查看学时。", []),
    ]),
    ("M7", "应急处置", "在突发事件中先期处置、及时报告、协助疏散。", [
        ("M7.1", "突发事件先期处置与信息报告", "掌握火灾、燃气泄漏、极端天气等突发事件的先期处置和报告时限。", 2, 2,
         "桌面推演：按处置卡完成一次突发事件推演。", ["HAZ"]),
        ("M7.2", "应急疏散与急救基础", "会组织楼栋疏散，掌握心肺复苏和止血包扎等基础急救。", 1, 3,
         "实操：心肺复苏操作考核达标，疏散演练组织有序。", ["HAZ"]),
    ]),
]

BRANCHES = [("FY-XW", "玄武分院", "320102", "玄武区"), ("FY-QH", "秦淮分院", "320104", "秦淮区")]


def _district(code: str, name: str) -> Area:
    """The registry's district (its demo runs first); created with the city when the registry has none."""
    area = db.session.scalar(sa.select(Area).where(Area.code == code))
    if area is None:
        city = db.session.scalar(sa.select(Area).where(Area.code == code[:4]))
        if city is None:
            city = Area(code=code[:4], name="南京市", level=AreaLevel.CITY)
            db.session.add(city)
        area = Area(code=code, name=name, level=AreaLevel.DISTRICT, parent=city)
        db.session.add(area)
        db.session.flush()
    return area


def _add_units(version) -> None:
    for position, (code, title, objectives, units) in enumerate(SYLLABUS):
        module = operations.add_unit(version, None, code=code, title=title, objectives=objectives,
                              theory_hours=Decimal("0"), practice_hours=Decimal("0"), assessment_standard="",
                              case_categories=[], position=position)
        for sub, (ucode, utitle, uobj, theory, practice, standard, categories) in enumerate(units):
            operations.add_unit(version, None, code=ucode, title=utitle, objectives=uobj, theory_hours=Decimal(theory),
                         practice_hours=Decimal(practice), assessment_standard=standard,
                         case_categories=list(categories), position=sub, parent=module)


def create_demo_syllabus(demo: dict) -> None:
    """Publish syllabus v1 through the committee, open branches and fill the trainer pool."""
    users = demo.get("users", {})
    version = operations.create_version(None, title="网格员统一教学大纲（2026版）",
                                 notes="全市统一教学大纲和考核标准，适用于新录用网格员岗前培训和在岗网格员轮训。")
    _add_units(version)
    operations.submit_for_review(version, None)
    reviewers = [user for key, user in users.items() if key in ("admin", "instructor", "viewer")][:2]
    for reviewer in reviewers:
        operations.add_committee_member(reviewer, None, title="专家委员会委员")
        operations.review_version(version, reviewer, decision=ReviewDecision.APPROVE, comment="同意发布。")
    if len(reviewers) >= operations.required_approvals():
        operations.publish_version(version, None)
    else:  # without the demo users there is no committee: publish directly so the city has a syllabus
        operations._move(version, VersionStatus.PUBLISHED, None, reason="demo")
        version.current = True
        db.session.flush()
    demo["syllabus"] = version
    branches = {}
    for code, name, district, district_name in BRANCHES:
        branches[district] = operations.create_branch(None, code=code, name=name, area=_district(district, district_name))
    demo["branches"] = branches
    if "instructor" in users:
        first = next(iter(branches.values()), None)
        operations.add_trainer(users["instructor"], None, branch=first, qualifications="高级社会工作师；人民调解员",
                        specialties=["M3.2", "M4.1", "M4.2", "M6.1"])
