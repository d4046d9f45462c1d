import type { AuthOptions } from "@loopdesk/contracts/auth";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

/** How this installation signs people in, and whether it can send mail (GET /auth/options, public). */
export const useAuthOptions = () => useQuery({ queryKey: ["auth-options"], queryFn: () => api<AuthOptions>("/auth/options") });
