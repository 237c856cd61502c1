// What each error code the graph returns means, in Vietnamese: the gateway's and the subgraphs'
// messages are English (for developers and logs), the pages say what happened in the reader's language
// and keep the message's details beside it. Every code of the error table in docs/trust.md has its sentence
// (a test checks).
export const ERROR_TEXT_VI: Record<string, string> = {
  BAD_USER_INPUT: "Dữ liệu nhập không hợp lệ",
  UNAUTHENTICATED: "Cần đăng nhập (hoặc phiên đăng nhập đã hết hạn)",
  FORBIDDEN: "Tài khoản không có quyền thực hiện thao tác này",
  UNKNOWN_INDICATOR: "Chỉ tiêu không thuộc phân hệ này",
  UNKNOWN_REPORTING_UNIT: "Đơn vị báo cáo không có trong danh sách xã, phường, đặc khu",
  INVALID_PERIOD: "Tháng báo cáo không hợp lệ",
  FUTURE_PERIOD: "Tháng báo cáo chưa đến",
  INVALID_VALUE: "Số liệu không hợp lệ",
  INVALID_REPORT: "Báo cáo có dòng sai; chưa lưu dòng nào",
  CONFLICT: "Số liệu vừa được người khác cập nhật; hãy nộp lại",
  MONTH_LOCKED: "Tháng đã được duyệt và khóa số liệu",
  MONTH_UNDER_REVIEW: "Tháng đã nộp và đang chờ duyệt; chưa thể sửa số liệu",
  INVALID_MONTH_STEP: "Không thể thực hiện bước duyệt này ở trạng thái hiện tại của tháng",
  OPEN_WARNINGS: "Còn cảnh báo chưa xác nhận hoặc chưa sửa",
  COMMUNES_PENDING: "Còn xã, phường chờ duyệt hoặc chờ sửa số liệu",
  QUERY_TOO_COSTLY: "Yêu cầu quá lớn; hãy thu hẹp phạm vi",
  GRAPHQL_PARSE_FAILED: "Yêu cầu không đúng cú pháp GraphQL",
  GRAPHQL_VALIDATION_FAILED: "Yêu cầu không khớp với lược đồ dữ liệu",
  OPERATION_RESOLUTION_FAILURE: "Không xác định được thao tác cần thực hiện",
  PAYLOAD_TOO_LARGE: "Tệp hoặc yêu cầu quá lớn",
  BAD_REQUEST: "Yêu cầu không hợp lệ",
  RATE_LIMITED: "Quá nhiều yêu cầu trong một phút; hãy thử lại sau",
  UNSUPPORTED_MEDIA_TYPE: "Định dạng yêu cầu không được hỗ trợ",
  SUBGRAPH_UNAVAILABLE: "Phân hệ của cơ quan không phản hồi",
  SUBGRAPH_TIMEOUT:
    "Phân hệ của cơ quan không trả lời kịp (nếu đang lưu: hãy tải lại để xem đã lưu chưa rồi mới nhập lại)",
  SUBGRAPH_BUSY: "Hệ thống đang bận; hãy thử lại sau giây lát",
  WRITE_DEADLINE_PASSED: "Hệ thống đang bận nên chưa lưu gì; hãy thử lại sau giây lát",
  DATABASE_UNAVAILABLE: "Cơ sở dữ liệu tạm thời không truy cập được; chưa lưu gì, hãy thử lại",
  INTERNAL_SERVER_ERROR: "Lỗi hệ thống; hãy thử lại hoặc báo quản trị viên",
  ORIGIN_NOT_ALLOWED: "Trang gửi yêu cầu không thuộc các địa chỉ được phép gọi cổng dữ liệu",
};

/**
 * What signing in at the OpenID provider can end with (OAuth's error codes), in Vietnamese; anything
 * else (the provider unreachable, a sign-in page reloaded after use) says signing in did not finish.
 */
export const SIGN_IN_ERROR_TEXT_VI: Record<string, string> = {
  access_denied: "Bạn đã huỷ đăng nhập",
  login_required: "Cần đăng nhập lại",
  invalid_grant: "Phiên đăng nhập đã hết hạn hoặc đã bị thu hồi",
  invalid_request: "Yêu cầu đăng nhập không hợp lệ",
  invalid_client: "Ứng dụng chưa được đăng ký với máy chủ đăng nhập",
  server_error: "Máy chủ đăng nhập gặp lỗi",
  temporarily_unavailable: "Máy chủ đăng nhập tạm thời không phản hồi",
  popup_blocked:
    "Trình duyệt đã chặn cửa sổ đăng nhập: hãy cho phép cửa sổ bật lên cho trang này rồi bấm lại",
  popup_closed: "Cửa sổ đăng nhập đã bị đóng trước khi đăng nhập xong",
};

const SIGN_IN_UNFINISHED_VI = "Đăng nhập chưa hoàn tất; hãy đăng nhập lại";

/** A failed sign-in as a page says it: the provider's code (or what the browser did) in Vietnamese. */
export function describeSignInError(language: "vi" | "en", error: unknown): string {
  const code = signInErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (language !== "vi") return message;
  const meaning = (code && SIGN_IN_ERROR_TEXT_VI[code]) ?? SIGN_IN_UNFINISHED_VI;
  return code ? meaning : `${meaning} (${message})`;
}

/** The OAuth error code of a failure (oidc-client-ts's ErrorResponse), or what its message tells. */
function signInErrorCode(error: unknown): string | null {
  const code = (error as { error?: unknown } | null)?.error;
  if (typeof code === "string") return code;
  const message = error instanceof Error ? error.message : "";
  if (/popup.*(blocked|window)|disposed window/i.test(message)) return "popup_blocked";
  if (/closed/i.test(message)) return "popup_closed";
  return null;
}

/** An error as a page shows it: in Vietnamese, the code's meaning with the message's details. */
export function describeError(
  language: "vi" | "en",
  code: string | undefined,
  message: string,
): string {
  const meaning = code ? ERROR_TEXT_VI[code] : undefined;
  return language === "vi" && meaning ? `${meaning} (${message})` : message;
}
