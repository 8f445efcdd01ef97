"""What the evaluation API modules share: the OpenAPI tag and the Excel response type."""
from drf_spectacular.types import OpenApiTypes

TAG = "考评 Evaluation"
XLSX = {(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY}
