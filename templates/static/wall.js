// acp-workbook facilitator wall (filled in next).
