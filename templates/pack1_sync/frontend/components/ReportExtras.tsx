import type { ReactNode } from "react";

import type { Report } from "@/lib/reports";
import type { User } from "@/lib/session";

export type ReportExtrasProps = { report: Report; user: User };

/**
 * What the report page shows below the report itself: nothing yet. An extension point: a later
 * pack replaces this file (pack 4: who is viewing the report, its comments, sharing it) and the
 * page stays as it is.
 */
export const ReportExtras: (props: ReportExtrasProps) => ReactNode = () => null;
