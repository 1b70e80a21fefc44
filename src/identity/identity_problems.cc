// Texts of the identity module's problems, in Bulgarian and English.
#include "http/problem_catalog.h"
#include "identity/identity_routes.h"

namespace egovbox::identity {

void RegisterIdentityProblems() {
  auto& catalog = http::ProblemCatalog::Instance();
  catalog.Register("invalid-personal-code",
                   {"Невалиден личен код", "Личният код се състои от 8 знака, например K7M4-QX2Z.",
                    "Invalid personal code", "A personal code has 8 characters, for example K7M4-QX2Z."});
  catalog.Register("personal-code-typo",
                   {"Грешно въведен код", "Кодът изглежда сгрешен при въвеждането. Проверете всеки знак.",
                    "Mistyped code", "The code seems to be mistyped. Check each character."});
  catalog.Register("invalid-credentials", {"Неуспешен вход", "Личният код или паролата не са верни.", "Sign-in failed",
                                           "The personal code or the password is wrong."});
  catalog.Register("totp-required",
                   {"Необходим е код за потвърждение", "Въведете шестцифрения код от приложението за удостоверяване.",
                    "Verification code required", "Enter the six-digit code from your authenticator app."});
  catalog.Register("invalid-totp", {"Грешен код за потвърждение", "Кодът за потвърждение не е верен или е изтекъл.",
                                    "Wrong verification code", "The verification code is wrong or has expired."});
  catalog.Register("account-suspended", {"Профилът е спрян", "Профилът ви е спрян. Обърнете се към администратора.",
                                         "Account suspended", "Your account is suspended. Contact the administrator."});
  catalog.Register("too-many-attempts",
                   {"Твърде много опити", "Твърде много неуспешни опити. Опитайте отново след {seconds} s.",
                    "Too many attempts", "Too many failed attempts. Try again in {seconds} s."});
  catalog.Register("wrong-current-password", {"Грешна текуща парола", "Текущата парола не е вярна.",
                                              "Wrong current password", "The current password is wrong."});
  catalog.Register("weak-password",
                   {"Паролата не отговаря на изискванията", "Изберете друга парола: вижте изискванията.",
                    "Password does not meet the rules", "Choose another password: see the rules."});
  catalog.Register("password-change-required",
                   {"Сменете паролата", "Сменете еднократната парола, преди да продължите.", "Change your password",
                    "Change your one-time password before you continue."});
  catalog.Register(
      "totp-enrollment-required",
      {"Настройте двустепенна проверка", "Вашата роля изисква двустепенна проверка. Настройте я, преди да продължите.",
       "Set up two-step verification", "Your role requires two-step verification. Set it up before you continue."});
  catalog.Register("totp-already-enabled", {"Вече е включена", "Двустепенната проверка вече е включена.",
                                            "Already enabled", "Two-step verification is already enabled."});
  catalog.Register("totp-not-started",
                   {"Настройката не е започната", "Започнете настройката на двустепенната проверка отначало.",
                    "Set-up not started", "Start setting up two-step verification again."});
  catalog.Register("totp-mandatory",
                   {"Задължителна проверка", "Вашата роля не позволява изключване на двустепенната проверка.",
                    "Required for your role", "Your role does not allow turning two-step verification off."});
  catalog.Register("invalid-employee", {"Невалидни данни за служител", "Данните за служителя не са валидни.",
                                        "Invalid employee data", "The employee data is not valid."});
  catalog.Register("email-taken", {"Имейлът е зает", "Вече има служител с имейл {email}.", "E-mail already used",
                                   "There is already an employee with the e-mail {email}."});
  catalog.Register(
      "csv-invalid",
      {"Невалиден CSV файл",
       "Файлът не може да бъде прочетен (ред {line}: {reason}). Запишете го като CSV UTF-8 със заглавен ред.",
       "Invalid CSV file", "The file cannot be read (line {line}: {reason}). Save it as CSV UTF-8 with a header row."});
  catalog.Register("import-rejected", {"Импортът е отказан", "{count} реда имат грешки; нищо не е записано.",
                                       "Import rejected", "{count} rows have errors; nothing was saved."});
}

}  // namespace egovbox::identity
