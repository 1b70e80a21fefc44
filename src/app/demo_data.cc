#include "app/demo_data.h"

#include <sys/stat.h>

#include <fstream>

#include "identity/personal_code.h"
#include "meetings/sofia_time.h"

namespace egovbox::app {
namespace {

// name, e-mail user, department, position, roles
constexpr const char* kDemoCsv =
    "name,email,department,position,roles\n"
    "Иван Петров,ivan.petrov,Дирекция „Информационни технологии“,Системен администратор,employee;administrator\n"
    "Мария Георгиева,maria.georgieva,Дирекция „Информационни технологии“,Служител по сигурността,"
    "employee;security_officer\n"
    "Елена Димитрова,elena.dimitrova,Деловодство,Деловодител,employee;clerk\n"
    "Стефка Попова,stefka.popova,Дирекция „Административно обслужване“,Директор,employee\n"
    "Христо Тодоров,hristo.todorov,Дирекция „Административно обслужване“,Главен експерт,employee\n"
    "Веселина Ангелова,veselina.angelova,Дирекция „Административно обслужване“,Старши специалист,employee\n"
    "Димитър Христов,dimitar.hristov,Дирекция „Финанси“,Директор,employee\n"
    "Кремена Русева,kremena.ruseva,Дирекция „Финанси“,Главен счетоводител,employee\n"
    "Тодор Василев,todor.vasilev,Дирекция „Финанси“,Финансов контрольор,employee\n"
    "Надежда Илиева,nadezhda.ilieva,Дирекция „Устройство на територията“,Главен архитект,employee\n"
    "Борислав Костадинов,borislav.kostadinov,Дирекция „Устройство на територията“,Инженер,employee\n"
    "Светла Михайлова,svetla.mihaylova,Дирекция „Устройство на територията“,Юрисконсулт,employee\n"
    "Ивайло Пеев,ivaylo.peev,Дирекция „Информационни технологии“,Програмист,employee\n"
    "Любомир Станев,lyubomir.stanev,Деловодство,Технически сътрудник,employee\n"
    "Галина Цветкова,galina.tsvetkova,Общински съвет,Председател на Общинския съвет,councillor\n"
    "Георги Иванов,georgi.ivanov,Общински съвет,Общински съветник,councillor\n"
    "Николай Стоянов,nikolay.stoyanov,Общински съвет,Общински съветник,councillor\n"
    "Десислава Николова,desislava.nikolova,Общински съвет,Общински съветник,councillor\n"
    "Петър Колев,petar.kolev,Общински съвет,Общински съветник,councillor\n"
    "Радостина Маринова,radostina.marinova,Общински съвет,Общински съветник,councillor\n"
    "Пламен Йорданов,plamen.yordanov,Общински съвет,Секретар на Общинския съвет,employee;clerk\n";

constexpr const char* kDemoDomain = "@demo.egovbox.bg";

// Adds the domain to the second column of every data line.
std::string DemoCsv() {
  std::string csv;
  std::string_view rest = kDemoCsv;
  bool header = true;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string line(rest.substr(0, end));
    rest.remove_prefix(end + 1);
    if (!header) {
      const auto first = line.find(',');
      const auto second = line.find(',', first + 1);
      line.insert(second, kDemoDomain);
    }
    header = false;
    csv += line + "\n";
  }
  return csv;
}

std::string RoleLabel(const identity::Employee& employee) {
  for (const char* role : {"administrator", "security_officer", "clerk", "councillor"}) {
    for (const auto& held : employee.roles) {
      if (held == role) return role;
    }
  }
  return "employee";
}

// `days` from today at hour:minute, Europe/Sofia.
std::int64_t SofiaTimeInDays(int days, int hour, int minute) {
  const auto today = meetings::UtcToSofia(static_cast<std::int64_t>(std::time(nullptr)));
  auto date = meetings::CivilFromDays(meetings::DaysFromCivil(today.year, today.month, today.day) + days);
  date.hour = hour;
  date.minute = minute;
  date.second = 0;
  return meetings::SofiaToUtc(date);
}

std::string IdOf(const std::vector<identity::CreatedEmployee>& created, std::string_view name) {
  for (const auto& entry : created) {
    if (entry.employee.name == name) return entry.employee.id;
  }
  throw std::runtime_error("demo data: no employee " + std::string(name));
}

void SeedMeetings(const std::vector<identity::CreatedEmployee>& created, meetings::RoomService& rooms,
                  meetings::MeetingService& meetings) {
  const std::string clerk = IdOf(created, "Елена Димитрова");
  auto council_hall = rooms.CreateHall(clerk, {"Зала „Съединение“", "Заседателна зала на Общинския съвет", 60, true});
  auto small_hall = rooms.CreateHall(clerk, {"Малка заседателна зала", "Етаж 2, стая 204", 12, false});
  if (!council_hall || !small_hall) throw std::runtime_error("demo data: halls rejected");

  meetings::MeetingInput weekly;
  weekly.title = "Оперативка на дирекция „Административно обслужване“";
  weekly.agenda = "1. Преглед на седмицата\n2. Входящи преписки\n3. Разни";
  weekly.kind = "operational";
  weekly.starts_at = SofiaTimeInDays(1, 9, 30);
  weekly.ends_at = weekly.starts_at + std::int64_t{30} * 60;
  weekly.recurrence = meetings::Recurrence{meetings::Frequency::kWeekly, 1, {}, std::nullopt, std::nullopt};
  weekly.departments = {"Дирекция „Административно обслужване“"};
  weekly.allow_conflicts = true;
  meetings::MeetingInput budget;
  budget.title = "Бюджет 2027 — съгласуване";
  budget.agenda = "Проектобюджет за 2027 г. и капиталова програма.";
  budget.kind = "general";
  budget.room_id = (*small_hall)["id"].get<std::string>();
  budget.starts_at = SofiaTimeInDays(2, 14, 0);
  budget.ends_at = budget.starts_at + std::int64_t{90} * 60;
  budget.invitees = {{IdOf(created, "Кремена Русева"), "co-host"},
                     {IdOf(created, "Стефка Попова"), "participant"},
                     {IdOf(created, "Надежда Илиева"), "participant"},
                     {IdOf(created, "Галина Цветкова"), "participant"}};
  budget.allow_conflicts = true;
  for (const auto& [organiser, input] :
       {std::pair{IdOf(created, "Стефка Попова"), weekly}, std::pair{IdOf(created, "Димитър Христов"), budget}}) {
    if (auto made = meetings.Create(organiser, input); !made) {
      throw std::runtime_error("demo data: meeting rejected: " + made.problem().slug);
    }
  }
}

}  // namespace

std::optional<std::vector<DemoAccount>> SeedDemoData(identity::EmployeeService& employees, store::Database& database,
                                                     meetings::RoomService& rooms, meetings::MeetingService& meetings,
                                                     const std::filesystem::path& data_dir) {
  {
    auto connection = database.Acquire();
    if (connection->QueryOne("SELECT 1 FROM employees LIMIT 1")) return std::nullopt;
  }
  auto created = employees.Import({std::nullopt, "", "demo"}, DemoCsv());
  if (!created) throw std::runtime_error("demo data rejected: " + created.problem().slug);
  SeedMeetings(*created, rooms, meetings);

  std::vector<DemoAccount> accounts;
  for (const auto& entry : *created) {
    accounts.push_back({RoleLabel(entry.employee), entry.employee.name,
                        identity::FormatPersonalCode(entry.employee.code), entry.one_time_password});
  }
  // Written whole to a temporary name and renamed: a crash never leaves half a list.
  const auto file = data_dir / "demo-credentials.txt";
  const auto temporary = data_dir / "demo-credentials.txt.tmp";
  {
    std::ofstream out(temporary);
    out << "# eGov box demo accounts: personal code, one-time password (to be changed at first sign-in)\n";
    for (const auto& account : accounts) {
      out << account.code << "  " << account.one_time_password << "  " << account.role_label << "  " << account.name
          << "\n";
    }
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  chmod(temporary.c_str(), 0600);
  std::filesystem::rename(temporary, file);
  return accounts;
}

}  // namespace egovbox::app
