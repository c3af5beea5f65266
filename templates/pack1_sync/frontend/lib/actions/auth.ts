"use server";

import { redirect } from "next/navigation";

import { UNREACHABLE } from "@/lib/api/errors";
import * as auth from "@/lib/auth";
import { field, type FormState } from "@/lib/forms";
import { safeNextPath } from "@/lib/session";

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const username = field(formData, "username");
  const password = formData.get("password");
  const values = { username };
  if (!username || typeof password !== "string" || !password) {
    return { formError: "Enter your username and password.", values };
  }
  try {
    const errors = await auth.signIn({ username, password });
    if (errors) return { ...errors, values };
  } catch (error) {
    console.error("sign-in failed", error);
    return { formError: UNREACHABLE, values };
  }
  redirect(safeNextPath(formData.get("next")));
}

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const username = field(formData, "username");
  const email = field(formData, "email");
  const password = formData.get("password");
  const values = { username, email };
  if (!username || typeof password !== "string" || !password) {
    return { formError: "Choose a username and a password.", values };
  }
  try {
    const errors = await auth.signUp({ username, password, ...(email ? { email } : {}) });
    if (errors) return { ...errors, values };
  } catch (error) {
    console.error("sign-up failed", error);
    return { formError: UNREACHABLE, values };
  }
  redirect("/reports");
}

export async function signOutAction(): Promise<void> {
  try {
    await auth.signOut();
  } catch (error) {
    // The browser's cookies are gone either way; Django's session expires on its own.
    console.error("sign-out: Django logout failed", error);
  }
  redirect("/signin");
}
