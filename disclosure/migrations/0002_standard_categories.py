"""The standard set of catalogue categories (R12). Staff may edit them later in the admin."""
from django.db import migrations

STANDARD = [
    ("sanzhong-yida", "“三重一大”事项", "重大决策、重要干部任免、重大项目安排和大额度资金使用"),
    ("important-reports", "重要情况通报", "上级重要精神、本单位重要工作情况的通报"),
    ("organisation-building", "党组织建设", "组织设置、换届选举、组织生活、“三会一课”"),
    ("member-recruitment", "党员发展", "入党积极分子确定、发展对象公示、预备党员转正"),
    ("party-dues", "党费收缴使用管理", "党费收缴标准、收缴及使用情况"),
    ("cadre-selection", "干部选拔任用", "干部选拔任用工作程序和结果"),
    ("integrity", "党风廉政建设", "党风廉政建设责任制落实、作风建设情况"),
    ("public-service", "服务群众", "为民办事、便民服务事项及办理结果"),
    ("theory-study", "思想理论学习", "理论学习中心组学习、主题教育安排"),
    ("other", "其他事项", "其他应当公开的党务事项"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("disclosure", "Category")
    for order, (code, name, description) in enumerate(STANDARD, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "description": description, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
