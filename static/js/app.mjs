// GOV.UK Frontend components only start when <body> has govuk-frontend-supported (set by the template).
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
