import type { Principal } from "@loopdesk/contracts/auth";
import { type ReactNode, createContext, useCallback, useContext, useEffect, useState } from "react";
import { api, setCsrfToken } from "../../api/client";
import i18n, { LANGUAGE_KEY } from "../../app/i18n";
import { writeStored } from "../../app/browser-storage";

export type SessionResponse = { user: Principal; csrfToken: string | null; timeZone: string; twoFactorEnrolmentRequired?: boolean };
/** A correct password for someone with two-factor sign-in: the second step's challenge. */
export type TwoFactorChallenge = { challenge: string; methods: ("totp" | "passkey" | "recovery_code")[] };
export type SecondFactorProof = { code: string } | { recoveryCode: string } | { passkey: { state: string; response: unknown } };
type LoginResponse = SessionResponse | { twoFactor: TwoFactorChallenge };
type Session = {
  user: Principal | null;
  loading: boolean;
  /** The workspace's time zone (reports count days in it); the browser's until signed in. */
  timeZone: string;
  /** Their role requires a second factor they have not set up: they may only enrol. */
  mustEnrolTwoFactor: boolean;
  /** Signs in, or answers the second step's challenge when the person uses two-factor sign-in. */
  signIn: (email: string, password: string, as?: "staff" | "customer") => Promise<TwoFactorChallenge | undefined>;
  completeTwoFactor: (challenge: string, proof: SecondFactorProof) => Promise<void>;
  /** A customer's one-time code (with their email) or the token from the emailed link. */
  signInWithCode: (proof: { email: string; code: string } | { token: string }) => Promise<void>;
  signOut: () => Promise<void>;
  /** Takes a session answered by any sign-in endpoint (e.g. accepting an invitation). */
  accept: (s: SessionResponse) => void;
  setLanguage: (lng: "zh-CN" | "en") => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Principal | null>(null);
  const [loading, setLoading] = useState(true);
  const [mustEnrolTwoFactor, setMustEnrol] = useState(false);
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);

  const accept = useCallback((s: SessionResponse) => {
    setCsrfToken(s.csrfToken);
    setUser(s.user);
    setMustEnrol(s.twoFactorEnrolmentRequired === true);
    if (s.timeZone) setTimeZone(s.timeZone);
    // The user's saved language wins over this browser's last choice.
    void i18n.changeLanguage(s.user.locale);
    writeStored("local", LANGUAGE_KEY, s.user.locale);
  }, []);

  useEffect(() => {
    // /session answers 200 also when nobody is signed in: public pages log no failed request.
    api<Omit<SessionResponse, "user"> & { user: Principal | null }>("/session")
      .then((s) => {
        if (s.user) accept({ ...s, user: s.user });
        else setTimeZone(s.timeZone);
      })
      .catch((e) => console.error(e))
      .finally(() => setLoading(false));
  }, [accept]);

  const value: Session = {
    user,
    loading,
    timeZone,
    mustEnrolTwoFactor,
    signIn: async (email, password, as = "staff") => {
      const res = await api<LoginResponse>("/auth/login", { method: "POST", body: { email, password, as } });
      if ("twoFactor" in res) return res.twoFactor;
      accept(res);
      return undefined;
    },
    completeTwoFactor: async (challenge, proof) =>
      accept(await api<SessionResponse>("/auth/login/two-factor", { method: "POST", body: { challenge, ...proof } })),
    accept,
    signInWithCode: async (proof) => accept(await api<SessionResponse>("/auth/login-code/verify", { method: "POST", body: proof })),
    signOut: async () => {
      await api("/auth/logout", { method: "POST" }).catch(() => undefined);
      setCsrfToken(null);
      setUser(null);
    },
    setLanguage: async (lng) => {
      writeStored("local", LANGUAGE_KEY, lng);
      await i18n.changeLanguage(lng);
      if (user) accept(await api<SessionResponse>("/me", { method: "PATCH", body: { locale: lng } }));
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}
