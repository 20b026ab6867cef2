"""The demo city's question bank (in Chinese, on the demo syllabus) and the pre-service final exam.

Questions are written for this project from the syllabus's own content: grid levels, the "3+N"
duties, patrols and hazards, dispute mediation, special groups, the platform and emergencies.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from academy.database import utcnow
from courses.exams import operations
from courses.exams.grading import PartialCredit, QuestionType
from courses.exams.models import QuestionStatus, ResultRelease
from courses.exams.operations import bank

# (unit, type, difficulty, stem, options, correct, explanation)
QUESTIONS = [
    ("M1.1", QuestionType.SINGLE, "easy", "“三级平台、四级网格”中，最小的社会治理单元是？", ["区级平台", "街道", "社区", "网格"], ["D"],
     "网格是社会治理的最小单元，每个网格至少配备一名网格员。"),
    ("M1.1", QuestionType.MULTIPLE, "medium", "市区街居网格“五级联动”包括以下哪些层级？", ["市", "区", "街道", "社区", "网格", "楼栋"],
     ["A", "B", "C", "D", "E"], "五级联动为市、区、街道、社区（居）和网格，楼栋不是独立层级。"),
    ("M1.1", QuestionType.TRUE_FALSE, "easy", "专属网格可以是一所学校、一家企业或一个园区。", [], ["T"], "学校、企业、园区等可单独划为专属网格。"),
    ("M1.2", QuestionType.SINGLE, "medium", "下列哪项**不属于**网格员“3+N”的三项基本职责？",
     ["基础信息采集", "隐患巡查处置", "服务群众", "行政执法处罚"], ["D"], "行政执法由职能部门负责，网格员不具备执法权。"),
    ("M1.2", QuestionType.FILL_BLANK, "easy", "网格员职责概括为“3+N”，其中 N 指平台派发的 ____ 任务。", [], [["专项", "专项工作"]],
     "N 为通过平台派发的专项任务。"),
    ("M1.3", QuestionType.TRUE_FALSE, "medium", "网格员入户采集的居民身份证号码可以发到工作微信群里方便同事核对。", [], ["F"],
     "身份证号码属于个人敏感信息，不得在群聊中传播。"),
    ("M1.3", QuestionType.SINGLE, "hard", "居民拒绝提供与网格服务无关的个人信息时，网格员应当？",
     ["反复上门直到提供", "尊重居民意愿，只采集必要信息", "向社区申请强制采集", "从其他平台下载"], ["B"],
     "采集个人信息应遵循合法、正当、必要原则。"),
    ("M2.1", QuestionType.MULTIPLE, "medium", "实有人口信息采集时需要区分的人员类别有？", ["户籍人口", "流动人口", "境外人员", "游客"],
     ["A", "B", "C"], "游客不属于实有人口登记范围。"),
    ("M2.1", QuestionType.FILL_BLANK, "medium", "基础信息采集要求“人、地、事、物、____”底数清、情况明。", [], [["组织"]],
     "五要素为人、地、事、物、组织。"),
    ("M2.2", QuestionType.SINGLE, "easy", "入户走访时，网格员首先应当？", ["直接进入室内查看", "出示工作证并说明来意", "拍照留存", "要求填写表格"],
     ["B"], "亮明身份、说明来意是入户走访的基本礼仪。"),
    ("M2.2", QuestionType.ESSAY, "medium", "请简述入户走访的主要步骤和注意事项。", [], [],
     "参考：预约与准备、亮证说明来意、核实信息、听取诉求、记录更新一户一档、保护隐私。"),
    ("M2.3", QuestionType.TRUE_FALSE, "easy", "采集的个人信息只能用于网格服务管理，不得用于其他目的。", [], ["T"], ""),
    ("M3.1", QuestionType.SINGLE, "easy", "东丽区网格员巡查的基本要求是？", ["一日双巡", "每周一巡", "每月一巡", "接到报告才巡"], ["A"],
     "一日双巡，每天巡查不少于3小时。"),
    ("M3.1", QuestionType.FILL_BLANK, "medium", "网格巡查实行“一日____巡”。", [], [["双", "两", "2"]], ""),
    ("M3.2", QuestionType.MULTIPLE, "medium", "以下哪些属于常见消防安全隐患？", ["楼道堆放杂物", "电动自行车在楼道内充电", "消防通道被占用",
     "灭火器在有效期内"], ["A", "B", "C"], "灭火器在有效期内是正常状态。"),
    ("M3.2", QuestionType.SINGLE, "hard", "巡查发现居民家中有燃气泄漏气味时，**不应**采取的做法是？",
     ["立即开窗通风", "关闭燃气总阀", "打开电灯查看泄漏点", "到室外拨打燃气抢修电话"], ["C"], "开关电器可能产生电火花引发爆炸。"),
    ("M3.2", QuestionType.TRUE_FALSE, "easy", "电动自行车可以推入电梯带回家中充电。", [], ["F"], "电动自行车严禁进楼入户充电。"),
    ("M3.3", QuestionType.SINGLE, "medium", "事件办理“红黄绿灯”中，红灯表示？", ["正常办理", "即将超时", "已经超时", "已经办结"], ["C"], ""),
    ("M3.3", QuestionType.MULTIPLE, "hard", "事件闭环流程“采集、上传、分流、督办、处理、反馈”中，由指挥中心负责的环节有？",
     ["采集", "分流", "督办", "反馈"], ["B", "C"], "分流和督办由指挥中心负责。"),
    ("M4.1", QuestionType.SINGLE, "medium", "下列纠纷中，风险等级最高、应立即上报的是？", ["邻里噪音纠纷", "物业费争议", "持械威胁他人的家庭纠纷",
     "宠物扰民"], ["C"], "涉及人身安全的纠纷应立即上报并联系公安。"),
    ("M4.1", QuestionType.TRUE_FALSE, "medium", "“小事不出网格”意味着网格员对任何纠纷都不得上报。", [], ["F"],
     "超出网格员能力的纠纷应及时上报，由社区、街道或职能部门处置。"),
    ("M4.2", QuestionType.MULTIPLE, "medium", "现场调解中常用的沟通技巧有？", ["耐心倾听", "换位共情", "释法说理", "当众批评一方"],
     ["A", "B", "C"], ""),
    ("M4.2", QuestionType.ESSAY, "hard", "楼上楼下因漏水引发纠纷，双方情绪激动。请写出你的调解思路。", [], [],
     "参考：先稳定情绪、分别倾听、现场查看、明确责任依据、提出方案、必要时联系物业和专业机构、跟踪回访。"),
    ("M4.3", QuestionType.SINGLE, "medium", "街道“吹哨报到”后，应当前来报到并处置的是？", ["网格员", "居民", "职能部门", "物业公司"], ["C"], ""),
    ("M5.1", QuestionType.FILL_BLANK, "easy", "为独居老人建立关爱____，定期探访。", [], [["台账", "档案"]], ""),
    ("M5.1", QuestionType.SINGLE, "medium", "探访独居老人时多次敲门无人应答，且邻居称两天未见老人，应当？",
     ["下次再来", "立即联系其紧急联系人和社区，必要时报警", "在门上留纸条", "在群里询问"], ["B"], ""),
    ("M5.2", QuestionType.TRUE_FALSE, "medium", "网格员发现残疾人有帮扶需求时，应当转介给残联或相关部门。", [], ["T"], ""),
    ("M6.1", QuestionType.SINGLE, "easy", "在网格治理平台上报事件时，以下哪项是必填内容？", ["事件位置", "网格员爱好", "居民收入", "天气"], ["A"], ""),
    ("M6.2", QuestionType.TRUE_FALSE, "easy", "在线考试中途断网，已自动保存的答案不会丢失。", [], ["T"], "考试页面会自动保存答案，恢复网络后继续作答。"),
    ("M7.1", QuestionType.SINGLE, "medium", "发现火情后，网格员首先应当？", ["拍照发朋友圈", "拨打119并组织人员疏散", "等待社区通知", "回家取灭火器"],
     ["B"], ""),
    ("M7.1", QuestionType.MULTIPLE, "hard", "极端天气来临前，网格员应做好哪些工作？", ["排查危房和低洼易涝点", "通知独居老人等重点人群",
     "检查广告牌等高空设施", "组织居民外出观看"], ["A", "B", "C"], ""),
    ("M7.2", QuestionType.FILL_BLANK, "hard", "成人心肺复苏胸外按压频率为每分钟____次至120次。", [], [["100", "一百"]], ""),
    ("M7.2", QuestionType.ESSAY, "medium", "请简述组织一栋居民楼紧急疏散的要点。", [], [],
     "参考：确认险情、统一指挥、就近安全出口、优先老弱病残、禁止乘电梯、清点人数、及时报告。"),
]

# Blueprint of the final exam: (type, count, points)
FINAL_BLUEPRINT = [(QuestionType.SINGLE, 8, Decimal("3")), (QuestionType.MULTIPLE, 4, Decimal("5")), (QuestionType.TRUE_FALSE, 5, Decimal("2")),
                   (QuestionType.FILL_BLANK, 3, Decimal("4")), (QuestionType.ESSAY, 1, Decimal("12"))]


def create_demo_exams(demo: dict) -> None:
    """The bank (active questions) and the pre-service course's final exam, open for a month."""
    version = demo.get("syllabus")
    if version is None:
        return
    instructor = demo.get("users", {}).get("instructor")
    units = {unit.code: unit for unit in version.units}
    for code, kind, difficulty, stem, options, correct, explanation in QUESTIONS:
        question = bank.create_question(
            instructor, type=kind, stem=stem, options=options, correct=correct, explanation=explanation,
            difficulty=difficulty, unit_id=units[code].id if code in units else None, tags=["岗前培训"],
            rubric="要点齐全、条理清楚得满分；每缺一个要点扣2分。" if kind is QuestionType.ESSAY else "",
            partial_credit=PartialCredit.NO_WRONG if kind is QuestionType.MULTIPLE else PartialCredit.ALL_OR_NOTHING)
        bank.set_question_status(question, instructor, QuestionStatus.ACTIVE)
    course = (demo.get("courses") or {}).get("GA-PRE-2026-01")
    if course is None:
        return
    now = utcnow().replace(second=0, microsecond=0)
    exam = operations.save_exam(
        instructor, None, course, title="新录用网格员岗前培训结业考试", is_final=True, opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30), time_limit_minutes=45, attempts_allowed=2, pass_mark=Decimal("60"),
        grace_seconds=60, start_window_minutes=None, shuffle_questions=True, shuffle_options=True, show_score=True,
        show_answers=True, release=ResultRelease.IMMEDIATE)
    for kind, count, points in FINAL_BLUEPRINT:
        operations.add_rule(exam, instructor, type=kind, count=count, points=points)
    operations.publish_exam(exam, instructor)
    demo["final_exam"] = exam
