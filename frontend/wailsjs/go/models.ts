export namespace app {
	
	export class AttachmentFile {
	    attachment: chart.Attachment;
	    data: number[];
	
	    static createFrom(source: any = {}) {
	        return new AttachmentFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.attachment = this.convertValues(source["attachment"], chart.Attachment);
	        this.data = source["data"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupStatus {
	    status: chart.BackupStatus;
	    running: boolean;
	    phase: string;
	    fraction: number;
	    available: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackupStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = this.convertValues(source["status"], chart.BackupStatus);
	        this.running = source["running"];
	        this.phase = source["phase"];
	        this.fraction = source["fraction"];
	        this.available = source["available"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChartingChoices {
	    smokingStatuses: chart.Coded[];
	    familyRelations: chart.FamilyRelation[];
	    placeholders: chart.Placeholder[];
	
	    static createFrom(source: any = {}) {
	        return new ChartingChoices(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.smokingStatuses = this.convertValues(source["smokingStatuses"], chart.Coded);
	        this.familyRelations = this.convertValues(source["familyRelations"], chart.FamilyRelation);
	        this.placeholders = this.convertValues(source["placeholders"], chart.Placeholder);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConflictValueDTO {
	    value: any;
	    deviceId: string;
	    deviceName: string;
	    userId: string;
	    userName: string;
	    at: string;
	
	    static createFrom(source: any = {}) {
	        return new ConflictValueDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.deviceId = source["deviceId"];
	        this.deviceName = source["deviceName"];
	        this.userId = source["userId"];
	        this.userName = source["userName"];
	        this.at = source["at"];
	    }
	}
	export class ConflictDTO {
	    recordId: string;
	    kind: string;
	    patientId: string;
	    patientName: string;
	    recordLabel: string;
	    field: string;
	    shown: ConflictValueDTO;
	    others: ConflictValueDTO[];
	    againstSigned: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConflictDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.recordId = source["recordId"];
	        this.kind = source["kind"];
	        this.patientId = source["patientId"];
	        this.patientName = source["patientName"];
	        this.recordLabel = source["recordLabel"];
	        this.field = source["field"];
	        this.shown = this.convertValues(source["shown"], ConflictValueDTO);
	        this.others = this.convertValues(source["others"], ConflictValueDTO);
	        this.againstSigned = source["againstSigned"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ExportDone {
	    folder: string;
	    patients: number;
	    format: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportDone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.patients = source["patients"];
	        this.format = source["format"];
	    }
	}
	export class ImportStatus {
	    running: boolean;
	    progress: chart.ImportProgress;
	    report?: chart.ImportReport;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.progress = this.convertValues(source["progress"], chart.ImportProgress);
	        this.report = this.convertValues(source["report"], chart.ImportReport);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LabInboxStatus {
	    folder: string;
	    lastLook: string;
	    picked: number;
	    failed: number;
	    lastError?: string;
	
	    static createFrom(source: any = {}) {
	        return new LabInboxStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.lastLook = source["lastLook"];
	        this.picked = source["picked"];
	        this.failed = source["failed"];
	        this.lastError = source["lastError"];
	    }
	}
	export class PatientAppointments {
	    upcoming: chart.Appointment[];
	    past: chart.Appointment[];
	
	    static createFrom(source: any = {}) {
	        return new PatientAppointments(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.upcoming = this.convertValues(source["upcoming"], chart.Appointment);
	        this.past = this.convertValues(source["past"], chart.Appointment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PracticeCreated {
	    user: chart.User;
	    practice: chart.Practice;
	    recoveryKey: string;
	
	    static createFrom(source: any = {}) {
	        return new PracticeCreated(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = this.convertValues(source["user"], chart.User);
	        this.practice = this.convertValues(source["practice"], chart.Practice);
	        this.recoveryKey = source["recoveryKey"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Printout {
	    fileName: string;
	    pdfBase64: number[];
	
	    static createFrom(source: any = {}) {
	        return new Printout(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fileName = source["fileName"];
	        this.pdfBase64 = source["pdfBase64"];
	    }
	}
	export class RecallList {
	    rows: care.RecallRow[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new RecallList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], care.RecallRow);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecallSaved {
	    path: string;
	    patients: number;
	
	    static createFrom(source: any = {}) {
	        return new RecallSaved(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.patients = source["patients"];
	    }
	}
	export class ReferralSaved {
	    folder: string;
	    pdfPath: string;
	    ipsPath: string;
	    recipient: string;
	
	    static createFrom(source: any = {}) {
	        return new ReferralSaved(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.pdfPath = source["pdfPath"];
	        this.ipsPath = source["ipsPath"];
	        this.recipient = source["recipient"];
	    }
	}
	export class RegistryList {
	    registry: care.Registry;
	    settings: chart.RegistryTargets;
	    rows: care.RegistryRow[];
	
	    static createFrom(source: any = {}) {
	        return new RegistryList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.registry = this.convertValues(source["registry"], care.Registry);
	        this.settings = this.convertValues(source["settings"], chart.RegistryTargets);
	        this.rows = this.convertValues(source["rows"], care.RegistryRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResolutionDTO {
	    recordId: string;
	    kind: string;
	    field: string;
	    choice: string;
	    otherIndex: number;
	    value?: any;
	    confirmEmpty?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ResolutionDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.recordId = source["recordId"];
	        this.kind = source["kind"];
	        this.field = source["field"];
	        this.choice = source["choice"];
	        this.otherIndex = source["otherIndex"];
	        this.value = source["value"];
	        this.confirmEmpty = source["confirmEmpty"];
	    }
	}
	export class ScheduleView {
	    from: string;
	    days: number;
	    appointments: chart.Appointment[];
	    overlaps: Record<string, Array<string>>;
	
	    static createFrom(source: any = {}) {
	        return new ScheduleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.days = source["days"];
	        this.appointments = this.convertValues(source["appointments"], chart.Appointment);
	        this.overlaps = source["overlaps"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScopePatientDTO {
	    id: string;
	    name: string;
	    mrn: string;
	    pendingChanges: number;
	    leaving: boolean;
	    backfilling: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ScopePatientDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.mrn = source["mrn"];
	        this.pendingChanges = source["pendingChanges"];
	        this.leaving = source["leaving"];
	        this.backfilling = source["backfilling"];
	    }
	}
	export class ScopeDTO {
	    all: boolean;
	    patients: ScopePatientDTO[];
	    byDate?: chart.RouteByDate;
	
	    static createFrom(source: any = {}) {
	        return new ScopeDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.all = source["all"];
	        this.patients = this.convertValues(source["patients"], ScopePatientDTO);
	        this.byDate = this.convertValues(source["byDate"], chart.RouteByDate);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SignedIn {
	    user: chart.User;
	    practice: chart.Practice;
	
	    static createFrom(source: any = {}) {
	        return new SignedIn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = this.convertValues(source["user"], chart.User);
	        this.practice = this.convertValues(source["practice"], chart.Practice);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncDayReport {
	    day: string;
	    syncs: number;
	    failures: number;
	    sent: number;
	    received: number;
	    conflicts: number;
	    openConflicts: number;
	    pending: number;
	    lastSync: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncDayReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.syncs = source["syncs"];
	        this.failures = source["failures"];
	        this.sent = source["sent"];
	        this.received = source["received"];
	        this.conflicts = source["conflicts"];
	        this.openConflicts = source["openConflicts"];
	        this.pending = source["pending"];
	        this.lastSync = source["lastSync"];
	    }
	}
	export class SyncStatus {
	    configured: boolean;
	    serverAddr: string;
	    state: string;
	    online: boolean;
	    running: boolean;
	    progress: number;
	    phase: string;
	    pending: number;
	    lastSync: string;
	    lastError: string;
	    openConflicts: number;
	    held: number;
	    keyChangeDue: boolean;
	    daysSinceSync: number;
	    warnDays: number;
	    overdue: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	        this.serverAddr = source["serverAddr"];
	        this.state = source["state"];
	        this.online = source["online"];
	        this.running = source["running"];
	        this.progress = source["progress"];
	        this.phase = source["phase"];
	        this.pending = source["pending"];
	        this.lastSync = source["lastSync"];
	        this.lastError = source["lastError"];
	        this.openConflicts = source["openConflicts"];
	        this.held = source["held"];
	        this.keyChangeDue = source["keyChangeDue"];
	        this.daysSinceSync = source["daysSinceSync"];
	        this.warnDays = source["warnDays"];
	        this.overdue = source["overdue"];
	    }
	}

}

export namespace care {
	
	export class Measure {
	    name: string;
	    last?: string;
	    value?: string;
	    status: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Measure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.last = source["last"];
	        this.value = source["value"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	    }
	}
	export class RecallFilter {
	    status: string;
	    ruleId: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new RecallFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.ruleId = source["ruleId"];
	        this.limit = source["limit"];
	    }
	}
	export class RecallRow {
	    patientId: string;
	    mrn: string;
	    name: string;
	    birthDate: string;
	    phone: string;
	    items: chart.DueItem[];
	    lastContact?: chart.RecallContact;
	
	    static createFrom(source: any = {}) {
	        return new RecallRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.mrn = source["mrn"];
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	        this.phone = source["phone"];
	        this.items = this.convertValues(source["items"], chart.DueItem);
	        this.lastContact = this.convertValues(source["lastContact"], chart.RecallContact);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Registry {
	    id: string;
	    title: string;
	    problems: string[];
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Registry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.problems = source["problems"];
	        this.source = source["source"];
	    }
	}
	export class RegistryRow {
	    patientId: string;
	    name: string;
	    birthDate: string;
	    measures: Measure[];
	    attention: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RegistryRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	        this.measures = this.convertValues(source["measures"], Measure);
	        this.attention = source["attention"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace cdsi {
	
	export class DoseResult {
	    id: string;
	    date: string;
	    cvx: string;
	    status: string;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new DoseResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.date = source["date"];
	        this.cvx = source["cvx"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	    }
	}
	export class GroupForecast {
	    vaccineGroup: string;
	    status: string;
	    doseNumber?: number;
	    earliest?: string;
	    recommended?: string;
	    pastDue?: string;
	    latest?: string;
	    series?: string[];
	    doses: DoseResult[];
	
	    static createFrom(source: any = {}) {
	        return new GroupForecast(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.vaccineGroup = source["vaccineGroup"];
	        this.status = source["status"];
	        this.doseNumber = source["doseNumber"];
	        this.earliest = source["earliest"];
	        this.recommended = source["recommended"];
	        this.pastDue = source["pastDue"];
	        this.latest = source["latest"];
	        this.series = source["series"];
	        this.doses = this.convertValues(source["doses"], DoseResult);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChartForecast {
	    asOf: string;
	    groups: GroupForecast[];
	    skipped?: string[];
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new ChartForecast(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.asOf = source["asOf"];
	        this.groups = this.convertValues(source["groups"], GroupForecast);
	        this.skipped = source["skipped"];
	        this.source = source["source"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace chart {
	
	export class Address {
	    line1: string;
	    line2: string;
	    city: string;
	    region: string;
	    postalCode: string;
	    country: string;
	    directions: string;
	
	    static createFrom(source: any = {}) {
	        return new Address(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line1 = source["line1"];
	        this.line2 = source["line2"];
	        this.city = source["city"];
	        this.region = source["region"];
	        this.postalCode = source["postalCode"];
	        this.country = source["country"];
	        this.directions = source["directions"];
	    }
	}
	export class TypicalRange {
	    low: number;
	    high: number;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new TypicalRange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.low = source["low"];
	        this.high = source["high"];
	        this.source = source["source"];
	    }
	}
	export class AgeBand {
	    id: string;
	    from: string;
	    phrase: string;
	    ranges: Record<string, TypicalRange>;
	
	    static createFrom(source: any = {}) {
	        return new AgeBand(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.from = source["from"];
	        this.phrase = source["phrase"];
	        this.ranges = this.convertValues(source["ranges"], TypicalRange, true);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Coded {
	    system: string;
	    code: string;
	    display: string;
	
	    static createFrom(source: any = {}) {
	        return new Coded(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.system = source["system"];
	        this.code = source["code"];
	        this.display = source["display"];
	    }
	}
	export class SourceRef {
	    system: string;
	    type: string;
	    id: string;
	    importId: string;
	    // Go type: time
	    importedAt: any;
	    external?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SourceRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.system = source["system"];
	        this.type = source["type"];
	        this.id = source["id"];
	        this.importId = source["importId"];
	        this.importedAt = this.convertValues(source["importedAt"], null);
	        this.external = source["external"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EnteredInError {
	    // Go type: time
	    at: any;
	    by: string;
	    byName: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new EnteredInError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = this.convertValues(source["at"], null);
	        this.by = source["by"];
	        this.byName = source["byName"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Allergy {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    substance: Coded;
	    type: string;
	    reaction: string;
	    severity: string;
	    criticality: string;
	    verification: string;
	    onset: string;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new Allergy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.substance = this.convertValues(source["substance"], Coded);
	        this.type = source["type"];
	        this.reaction = source["reaction"];
	        this.severity = source["severity"];
	        this.criticality = source["criticality"];
	        this.verification = source["verification"];
	        this.onset = source["onset"];
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StatusChange {
	    status: string;
	    // Go type: time
	    at: any;
	    by: string;
	    byName: string;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new StatusChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.at = this.convertValues(source["at"], null);
	        this.by = source["by"];
	        this.byName = source["byName"];
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Appointment {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    patient: string;
	    patientName: string;
	    clinicianId: string;
	    clinicianName: string;
	    start: string;
	    minutes: number;
	    type: string;
	    reason: string;
	    status: string;
	    history: StatusChange[];
	    address?: string;
	    directions?: string;
	    routeOrder?: number;
	
	    static createFrom(source: any = {}) {
	        return new Appointment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.patient = source["patient"];
	        this.patientName = source["patientName"];
	        this.clinicianId = source["clinicianId"];
	        this.clinicianName = source["clinicianName"];
	        this.start = source["start"];
	        this.minutes = source["minutes"];
	        this.type = source["type"];
	        this.reason = source["reason"];
	        this.status = source["status"];
	        this.history = this.convertValues(source["history"], StatusChange);
	        this.address = source["address"];
	        this.directions = source["directions"];
	        this.routeOrder = source["routeOrder"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Attachment {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    fileName: string;
	    mediaType: string;
	    size: number;
	    sha256: string;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.fileName = source["fileName"];
	        this.mediaType = source["mediaType"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditBreak {
	    kind: string;
	    deviceId: string;
	    deviceName: string;
	    seq: number;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditBreak(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.deviceId = source["deviceId"];
	        this.deviceName = source["deviceName"];
	        this.seq = source["seq"];
	        this.problem = source["problem"];
	    }
	}
	export class AuditC {
	    howOften: number;
	    howMany: number;
	    sixOrMore: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditC(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.howOften = source["howOften"];
	        this.howMany = source["howMany"];
	        this.sixOrMore = source["sixOrMore"];
	    }
	}
	export class AuditEntry {
	    seq: number;
	    // Go type: time
	    at: any;
	    userId: string;
	    username: string;
	    action: string;
	    patientId?: string;
	    recordKind?: string;
	    recordId?: string;
	    detail: string;
	    deviceId: string;
	    hash: string;
	    remote?: boolean;
	    cursor?: string;
	    patientName?: string;
	    deviceName?: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.at = this.convertValues(source["at"], null);
	        this.userId = source["userId"];
	        this.username = source["username"];
	        this.action = source["action"];
	        this.patientId = source["patientId"];
	        this.recordKind = source["recordKind"];
	        this.recordId = source["recordId"];
	        this.detail = source["detail"];
	        this.deviceId = source["deviceId"];
	        this.hash = source["hash"];
	        this.remote = source["remote"];
	        this.cursor = source["cursor"];
	        this.patientName = source["patientName"];
	        this.deviceName = source["deviceName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditFilter {
	    userId: string;
	    patientId: string;
	    action: string;
	    from: string;
	    to: string;
	    limit: number;
	    beforeSeq: number;
	    allDevices: boolean;
	    before: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.patientId = source["patientId"];
	        this.action = source["action"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.limit = source["limit"];
	        this.beforeSeq = source["beforeSeq"];
	        this.allDevices = source["allDevices"];
	        this.before = source["before"];
	    }
	}
	export class AuditServerCheck {
	    state: string;
	    seq: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditServerCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.seq = source["seq"];
	        this.message = source["message"];
	    }
	}
	export class AuditVerification {
	    ok: boolean;
	    entries: number;
	    firstBadSeq: number;
	    problem: string;
	    breaks: AuditBreak[];
	    keyed: number;
	    sealedLate: number;
	    pending: number;
	    workstations: number;
	    remoteEntries: number;
	    server: AuditServerCheck;
	    checked: string[];
	
	    static createFrom(source: any = {}) {
	        return new AuditVerification(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.entries = source["entries"];
	        this.firstBadSeq = source["firstBadSeq"];
	        this.problem = source["problem"];
	        this.breaks = this.convertValues(source["breaks"], AuditBreak);
	        this.keyed = source["keyed"];
	        this.sealedLate = source["sealedLate"];
	        this.pending = source["pending"];
	        this.workstations = source["workstations"];
	        this.remoteEntries = source["remoteEntries"];
	        this.server = this.convertValues(source["server"], AuditServerCheck);
	        this.checked = source["checked"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupCheck {
	    ok: boolean;
	    problem: string;
	    counts: Record<string, number>;
	    sealsChecked: boolean;
	    recordsOpened: number;
	    auditEntries: number;
	
	    static createFrom(source: any = {}) {
	        return new BackupCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.problem = source["problem"];
	        this.counts = source["counts"];
	        this.sealsChecked = source["sealsChecked"];
	        this.recordsOpened = source["recordsOpened"];
	        this.auditEntries = source["auditEntries"];
	    }
	}
	export class BackupInfo {
	    path: string;
	    fileName: string;
	    size: number;
	    practiceId: string;
	    practiceName: string;
	    workstationId: string;
	    workstationName: string;
	    // Go type: time
	    createdAt: any;
	    counts: Record<string, number>;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new BackupInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.fileName = source["fileName"];
	        this.size = source["size"];
	        this.practiceId = source["practiceId"];
	        this.practiceName = source["practiceName"];
	        this.workstationId = source["workstationId"];
	        this.workstationName = source["workstationName"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.counts = source["counts"];
	        this.problem = source["problem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupRun {
	    // Go type: time
	    at: any;
	    path: string;
	    size: number;
	    counts: Record<string, number>;
	    seconds: number;
	    check: BackupCheck;
	    error: string;
	    unattended: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackupRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = this.convertValues(source["at"], null);
	        this.path = source["path"];
	        this.size = source["size"];
	        this.counts = source["counts"];
	        this.seconds = source["seconds"];
	        this.check = this.convertValues(source["check"], BackupCheck);
	        this.error = source["error"];
	        this.unattended = source["unattended"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupSettings {
	    folder: string;
	    dailyAt: string;
	    onQuit: boolean;
	    keepDaily: number;
	    keepWeekly: number;
	    keepMonthly: number;
	    warnDays: number;
	
	    static createFrom(source: any = {}) {
	        return new BackupSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.dailyAt = source["dailyAt"];
	        this.onQuit = source["onQuit"];
	        this.keepDaily = source["keepDaily"];
	        this.keepWeekly = source["keepWeekly"];
	        this.keepMonthly = source["keepMonthly"];
	        this.warnDays = source["warnDays"];
	    }
	}
	export class BackupStatus {
	    settings: BackupSettings;
	    lastGood?: BackupRun;
	    lastFailed?: BackupRun;
	    folderMissing: boolean;
	    overdue: boolean;
	
	    static createFrom(source: any = {}) {
	        return new BackupStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], BackupSettings);
	        this.lastGood = this.convertValues(source["lastGood"], BackupRun);
	        this.lastFailed = this.convertValues(source["lastFailed"], BackupRun);
	        this.folderMissing = source["folderMissing"];
	        this.overdue = source["overdue"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Book {
	    id: string;
	    name: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new Book(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.role = source["role"];
	    }
	}
	export class CallListEntry {
	    appointment: Appointment;
	    phone: string;
	    mrn: string;
	
	    static createFrom(source: any = {}) {
	        return new CallListEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.appointment = this.convertValues(source["appointment"], Appointment);
	        this.phone = source["phone"];
	        this.mrn = source["mrn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CareDecision {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    ruleId: string;
	    decision: string;
	    date: string;
	    reason: string;
	    decidedByName?: string;
	
	    static createFrom(source: any = {}) {
	        return new CareDecision(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.ruleId = source["ruleId"];
	        this.decision = source["decision"];
	        this.date = source["date"];
	        this.reason = source["reason"];
	        this.decidedByName = source["decidedByName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChartFlags {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    noKnownAllergies: boolean;
	    noKnownProblems: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ChartFlags(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.noKnownAllergies = source["noKnownAllergies"];
	        this.noKnownProblems = source["noKnownProblems"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PregnancyStatus {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    date: string;
	    status: string;
	    lmp?: string;
	    edd?: string;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new PregnancyStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.date = source["date"];
	        this.status = source["status"];
	        this.lmp = source["lmp"];
	        this.edd = source["edd"];
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SocialHistory {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    date: string;
	    smoking: Coded;
	    packYears?: string;
	    auditC?: AuditC;
	    drinksPerWeek?: number;
	    occupation: string;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new SocialHistory(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.date = source["date"];
	        this.smoking = this.convertValues(source["smoking"], Coded);
	        this.packYears = source["packYears"];
	        this.auditC = this.convertValues(source["auditC"], AuditC);
	        this.drinksPerWeek = source["drinksPerWeek"];
	        this.occupation = source["occupation"];
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Encounter {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    type: string;
	    start: string;
	    location: string;
	    clinicianId: string;
	    clinicianName: string;
	    reason: string;
	    diagnoses: Coded[];
	    end?: string;
	    class?: string;
	    typeText?: string;
	
	    static createFrom(source: any = {}) {
	        return new Encounter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.type = source["type"];
	        this.start = source["start"];
	        this.location = source["location"];
	        this.clinicianId = source["clinicianId"];
	        this.clinicianName = source["clinicianName"];
	        this.reason = source["reason"];
	        this.diagnoses = this.convertValues(source["diagnoses"], Coded);
	        this.end = source["end"];
	        this.class = source["class"];
	        this.typeText = source["typeText"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Result {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    test: Coded;
	    value: string;
	    unit: string;
	    refLow: string;
	    refHigh: string;
	    refText: string;
	    flag: string;
	    collectedAt: string;
	    resultedAt: string;
	    attachmentIds: string[];
	    reviewedBy?: string;
	    reviewedName?: string;
	    // Go type: time
	    reviewedAt?: any;
	    encounterId?: string;
	    reportId?: string;
	    reportName?: string;
	    performer?: string;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.test = this.convertValues(source["test"], Coded);
	        this.value = source["value"];
	        this.unit = source["unit"];
	        this.refLow = source["refLow"];
	        this.refHigh = source["refHigh"];
	        this.refText = source["refText"];
	        this.flag = source["flag"];
	        this.collectedAt = source["collectedAt"];
	        this.resultedAt = source["resultedAt"];
	        this.attachmentIds = source["attachmentIds"];
	        this.reviewedBy = source["reviewedBy"];
	        this.reviewedName = source["reviewedName"];
	        this.reviewedAt = this.convertValues(source["reviewedAt"], null);
	        this.encounterId = source["encounterId"];
	        this.reportId = source["reportId"];
	        this.reportName = source["reportName"];
	        this.performer = source["performer"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TimelineItem {
	    kind: string;
	    id: string;
	    at: string;
	    title: string;
	    detail: string;
	    status: string;
	    damaged?: string;
	
	    static createFrom(source: any = {}) {
	        return new TimelineItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.at = source["at"];
	        this.title = source["title"];
	        this.detail = source["detail"];
	        this.status = source["status"];
	        this.damaged = source["damaged"];
	    }
	}
	export class Immunization {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    vaccine: Coded;
	    date: string;
	    doseNumber: number;
	    lot: string;
	    expiry: string;
	    manufacturer: string;
	    site: string;
	    route: string;
	    givenBy: string;
	    source: string;
	    refused: boolean;
	    refusalReason: string;
	    expiredLotReason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Immunization(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.vaccine = this.convertValues(source["vaccine"], Coded);
	        this.date = source["date"];
	        this.doseNumber = source["doseNumber"];
	        this.lot = source["lot"];
	        this.expiry = source["expiry"];
	        this.manufacturer = source["manufacturer"];
	        this.site = source["site"];
	        this.route = source["route"];
	        this.givenBy = source["givenBy"];
	        this.source = source["source"];
	        this.refused = source["refused"];
	        this.refusalReason = source["refusalReason"];
	        this.expiredLotReason = source["expiredLotReason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VitalFlag {
	    field: string;
	    level: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new VitalFlag(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.level = source["level"];
	        this.message = source["message"];
	    }
	}
	export class VitalSigns {
	    systolic?: number;
	    diastolic?: number;
	    heartRate?: number;
	    respiratoryRate?: number;
	    temperature?: number;
	    spo2?: number;
	    weight?: number;
	    height?: number;
	    pain?: number;
	    headCircumference?: number;
	    bmi?: number;
	
	    static createFrom(source: any = {}) {
	        return new VitalSigns(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.systolic = source["systolic"];
	        this.diastolic = source["diastolic"];
	        this.heartRate = source["heartRate"];
	        this.respiratoryRate = source["respiratoryRate"];
	        this.temperature = source["temperature"];
	        this.spo2 = source["spo2"];
	        this.weight = source["weight"];
	        this.height = source["height"];
	        this.pain = source["pain"];
	        this.headCircumference = source["headCircumference"];
	        this.bmi = source["bmi"];
	    }
	}
	export class VitalsRecord {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    encounterId?: string;
	    takenAt: string;
	    signs: VitalSigns;
	    flags: VitalFlag[];
	    takenBy: string;
	    takenByName: string;
	
	    static createFrom(source: any = {}) {
	        return new VitalsRecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.encounterId = source["encounterId"];
	        this.takenAt = source["takenAt"];
	        this.signs = this.convertValues(source["signs"], VitalSigns);
	        this.flags = this.convertValues(source["flags"], VitalFlag);
	        this.takenBy = source["takenBy"];
	        this.takenByName = source["takenByName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SafetyAlert {
	    kind: string;
	    severity: string;
	    message: string;
	    ruleId: string;
	
	    static createFrom(source: any = {}) {
	        return new SafetyAlert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.severity = source["severity"];
	        this.message = source["message"];
	        this.ruleId = source["ruleId"];
	    }
	}
	export class SafetyOverride {
	    alerts: SafetyAlert[];
	    reason: string;
	    by: string;
	    byName: string;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new SafetyOverride(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.alerts = this.convertValues(source["alerts"], SafetyAlert);
	        this.reason = source["reason"];
	        this.by = source["by"];
	        this.byName = source["byName"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Medication {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    drug: Coded;
	    dose: string;
	    unit: string;
	    route: string;
	    frequency: string;
	    instructions: string;
	    quantity: string;
	    refills: number;
	    startDate: string;
	    stopDate: string;
	    status: string;
	    stopReason: string;
	    source: string;
	    prescriberId: string;
	    prescriberName: string;
	    override?: SafetyOverride;
	    daysSupply?: number;
	    encounterId?: string;
	    renewalOf?: string;
	    renewedBy?: string;
	    // Go type: time
	    reconciledAt?: any;
	    reconciledBy?: string;
	    reconciledByName?: string;
	
	    static createFrom(source: any = {}) {
	        return new Medication(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.drug = this.convertValues(source["drug"], Coded);
	        this.dose = source["dose"];
	        this.unit = source["unit"];
	        this.route = source["route"];
	        this.frequency = source["frequency"];
	        this.instructions = source["instructions"];
	        this.quantity = source["quantity"];
	        this.refills = source["refills"];
	        this.startDate = source["startDate"];
	        this.stopDate = source["stopDate"];
	        this.status = source["status"];
	        this.stopReason = source["stopReason"];
	        this.source = source["source"];
	        this.prescriberId = source["prescriberId"];
	        this.prescriberName = source["prescriberName"];
	        this.override = this.convertValues(source["override"], SafetyOverride);
	        this.daysSupply = source["daysSupply"];
	        this.encounterId = source["encounterId"];
	        this.renewalOf = source["renewalOf"];
	        this.renewedBy = source["renewedBy"];
	        this.reconciledAt = this.convertValues(source["reconciledAt"], null);
	        this.reconciledBy = source["reconciledBy"];
	        this.reconciledByName = source["reconciledByName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Problem {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    condition: Coded;
	    onset: string;
	    status: string;
	    chronic: boolean;
	    comment: string;
	    abatement?: string;
	    verification?: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.condition = this.convertValues(source["condition"], Coded);
	        this.onset = source["onset"];
	        this.status = source["status"];
	        this.chronic = source["chronic"];
	        this.comment = source["comment"];
	        this.abatement = source["abatement"];
	        this.verification = source["verification"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PatientMerge {
	    into: string;
	    // Go type: time
	    at: any;
	    by: string;
	
	    static createFrom(source: any = {}) {
	        return new PatientMerge(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.into = source["into"];
	        this.at = this.convertValues(source["at"], null);
	        this.by = source["by"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Guardian {
	    name: string;
	    relationship: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new Guardian(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.relationship = source["relationship"];
	        this.phone = source["phone"];
	    }
	}
	export class Insurance {
	    payer: string;
	    memberId: string;
	    group?: string;
	
	    static createFrom(source: any = {}) {
	        return new Insurance(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.payer = source["payer"];
	        this.memberId = source["memberId"];
	        this.group = source["group"];
	    }
	}
	export class Identifier {
	    system: string;
	    value: string;
	    type?: string;
	
	    static createFrom(source: any = {}) {
	        return new Identifier(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.system = source["system"];
	        this.value = source["value"];
	        this.type = source["type"];
	    }
	}
	export class EmergencyContact {
	    name: string;
	    relationship: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new EmergencyContact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.relationship = source["relationship"];
	        this.phone = source["phone"];
	    }
	}
	export class Patient {
	    id: string;
	    mrn: string;
	    givenName: string;
	    familyName: string;
	    preferredName: string;
	    birthDate: string;
	    sex: string;
	    genderIdentity: string;
	    phone: string;
	    address: Address;
	    emergencyContact: EmergencyContact;
	    preferredLanguage: string;
	    identifiers?: Identifier[];
	    email?: string;
	    deceased?: boolean;
	    deceasedDate?: string;
	    inactive?: boolean;
	    insurance: Insurance;
	    guardian: Guardian;
	    merged?: PatientMerge;
	    origin?: SourceRef;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	
	    static createFrom(source: any = {}) {
	        return new Patient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.mrn = source["mrn"];
	        this.givenName = source["givenName"];
	        this.familyName = source["familyName"];
	        this.preferredName = source["preferredName"];
	        this.birthDate = source["birthDate"];
	        this.sex = source["sex"];
	        this.genderIdentity = source["genderIdentity"];
	        this.phone = source["phone"];
	        this.address = this.convertValues(source["address"], Address);
	        this.emergencyContact = this.convertValues(source["emergencyContact"], EmergencyContact);
	        this.preferredLanguage = source["preferredLanguage"];
	        this.identifiers = this.convertValues(source["identifiers"], Identifier);
	        this.email = source["email"];
	        this.deceased = source["deceased"];
	        this.deceasedDate = source["deceasedDate"];
	        this.inactive = source["inactive"];
	        this.insurance = this.convertValues(source["insurance"], Insurance);
	        this.guardian = this.convertValues(source["guardian"], Guardian);
	        this.merged = this.convertValues(source["merged"], PatientMerge);
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChartSummary {
	    patient: Patient;
	    allergyStatus: string;
	    allergies: Allergy[];
	    noKnownProblems: boolean;
	    problems: Problem[];
	    medications: Medication[];
	    latestVitals?: VitalsRecord;
	    damagedVitals?: VitalsRecord;
	    immunizations: Immunization[];
	    timeline: TimelineItem[];
	    resultsToReview: Result[];
	    openEncounter?: Encounter;
	    socialHistory?: SocialHistory;
	    pregnancy?: PregnancyStatus;
	    pregnancyRelevant: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ChartSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patient = this.convertValues(source["patient"], Patient);
	        this.allergyStatus = source["allergyStatus"];
	        this.allergies = this.convertValues(source["allergies"], Allergy);
	        this.noKnownProblems = source["noKnownProblems"];
	        this.problems = this.convertValues(source["problems"], Problem);
	        this.medications = this.convertValues(source["medications"], Medication);
	        this.latestVitals = this.convertValues(source["latestVitals"], VitalsRecord);
	        this.damagedVitals = this.convertValues(source["damagedVitals"], VitalsRecord);
	        this.immunizations = this.convertValues(source["immunizations"], Immunization);
	        this.timeline = this.convertValues(source["timeline"], TimelineItem);
	        this.resultsToReview = this.convertValues(source["resultsToReview"], Result);
	        this.openEncounter = this.convertValues(source["openEncounter"], Encounter);
	        this.socialHistory = this.convertValues(source["socialHistory"], SocialHistory);
	        this.pregnancy = this.convertValues(source["pregnancy"], PregnancyStatus);
	        this.pregnancyRelevant = source["pregnancyRelevant"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChartTextRequest {
	    patientId: string;
	    encounterId: string;
	    texts: string[];
	
	    static createFrom(source: any = {}) {
	        return new ChartTextRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.encounterId = source["encounterId"];
	        this.texts = source["texts"];
	    }
	}
	
	export class Colleague {
	    id: string;
	    name: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new Colleague(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.role = source["role"];
	    }
	}
	export class ConflictMark {
	    recordId: string;
	    kind: string;
	    fields: string[];
	
	    static createFrom(source: any = {}) {
	        return new ConflictMark(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.recordId = source["recordId"];
	        this.kind = source["kind"];
	        this.fields = source["fields"];
	    }
	}
	export class Credentials {
	    licenceNumber: string;
	    npi: string;
	
	    static createFrom(source: any = {}) {
	        return new Credentials(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.licenceNumber = source["licenceNumber"];
	        this.npi = source["npi"];
	    }
	}
	export class ServiceTotal {
	    code: string;
	    description: string;
	    units: number;
	    totalCents: number;
	
	    static createFrom(source: any = {}) {
	        return new ServiceTotal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.description = source["description"];
	        this.units = source["units"];
	        this.totalCents = source["totalCents"];
	    }
	}
	export class DayTotals {
	    date: string;
	    superbills: number;
	    totalCents: number;
	    byCode: ServiceTotal[];
	    unopened: number;
	
	    static createFrom(source: any = {}) {
	        return new DayTotals(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.superbills = source["superbills"];
	        this.totalCents = source["totalCents"];
	        this.byCode = this.convertValues(source["byCode"], ServiceTotal);
	        this.unopened = source["unopened"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DiagnosisProblem {
	    problem: Problem;
	    existing: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DiagnosisProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.problem = this.convertValues(source["problem"], Problem);
	        this.existing = source["existing"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DiagnosisToProblem {
	    encounterId: string;
	    diagnosis: Coded;
	
	    static createFrom(source: any = {}) {
	        return new DiagnosisToProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.encounterId = source["encounterId"];
	        this.diagnosis = this.convertValues(source["diagnosis"], Coded);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DueItem {
	    patientId: string;
	    ruleId: string;
	    title: string;
	    category: string;
	    status: string;
	    dueDate: string;
	    lastDone?: string;
	    reason: string;
	    source: string;
	    grade?: string;
	    version?: string;
	    decision?: CareDecision;
	
	    static createFrom(source: any = {}) {
	        return new DueItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.ruleId = source["ruleId"];
	        this.title = source["title"];
	        this.category = source["category"];
	        this.status = source["status"];
	        this.dueDate = source["dueDate"];
	        this.lastDone = source["lastDone"];
	        this.reason = source["reason"];
	        this.source = source["source"];
	        this.grade = source["grade"];
	        this.version = source["version"];
	        this.decision = this.convertValues(source["decision"], CareDecision);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PatientSummary {
	    id: string;
	    mrn: string;
	    givenName: string;
	    familyName: string;
	    preferredName: string;
	    birthDate: string;
	    sex: string;
	    phone: string;
	    inactive?: boolean;
	    deceased?: boolean;
	    mergedInto?: string;
	
	    static createFrom(source: any = {}) {
	        return new PatientSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.mrn = source["mrn"];
	        this.givenName = source["givenName"];
	        this.familyName = source["familyName"];
	        this.preferredName = source["preferredName"];
	        this.birthDate = source["birthDate"];
	        this.sex = source["sex"];
	        this.phone = source["phone"];
	        this.inactive = source["inactive"];
	        this.deceased = source["deceased"];
	        this.mergedInto = source["mergedInto"];
	    }
	}
	export class DuplicateCandidate {
	    patient: PatientSummary;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new DuplicateCandidate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patient = this.convertValues(source["patient"], PatientSummary);
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class FamilyHistory {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    relation: string;
	    condition: Coded;
	    onsetAge?: number;
	    deceased: boolean;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new FamilyHistory(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.relation = source["relation"];
	        this.condition = this.convertValues(source["condition"], Coded);
	        this.onsetAge = source["onsetAge"];
	        this.deceased = source["deceased"];
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FamilyRelation {
	    code: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new FamilyRelation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.label = source["label"];
	    }
	}
	export class TypeCounts {
	    read: number;
	    imported: number;
	    merged: number;
	    skipped: number;
	    failed: number;
	    skipReasons?: Record<string, number>;
	    errors?: string[];
	
	    static createFrom(source: any = {}) {
	        return new TypeCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.read = source["read"];
	        this.imported = source["imported"];
	        this.merged = source["merged"];
	        this.skipped = source["skipped"];
	        this.failed = source["failed"];
	        this.skipReasons = source["skipReasons"];
	        this.errors = source["errors"];
	    }
	}
	export class FileReport {
	    path: string;
	    format: string;
	    error?: string;
	    types: Record<string, TypeCounts>;
	    unresolved?: string[];
	    warnings?: string[];
	
	    static createFrom(source: any = {}) {
	        return new FileReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.format = source["format"];
	        this.error = source["error"];
	        this.types = this.convertValues(source["types"], TypeCounts, true);
	        this.unresolved = source["unresolved"];
	        this.warnings = source["warnings"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class HeldChange {
	    id: number;
	    changeId: string;
	    kind: string;
	    recordId: string;
	    patientId: string;
	    patientName: string;
	    deviceId: string;
	    deviceName: string;
	    userId: string;
	    userName: string;
	    // Go type: time
	    writtenAt: any;
	    reason: string;
	    message: string;
	    // Go type: time
	    receivedAt: any;
	    tries: number;
	    // Go type: time
	    lastTried: any;
	    // Go type: time
	    dismissedAt?: any;
	    dismissedBy?: string;
	    dismissedReason?: string;
	
	    static createFrom(source: any = {}) {
	        return new HeldChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.changeId = source["changeId"];
	        this.kind = source["kind"];
	        this.recordId = source["recordId"];
	        this.patientId = source["patientId"];
	        this.patientName = source["patientName"];
	        this.deviceId = source["deviceId"];
	        this.deviceName = source["deviceName"];
	        this.userId = source["userId"];
	        this.userName = source["userName"];
	        this.writtenAt = this.convertValues(source["writtenAt"], null);
	        this.reason = source["reason"];
	        this.message = source["message"];
	        this.receivedAt = this.convertValues(source["receivedAt"], null);
	        this.tries = source["tries"];
	        this.lastTried = this.convertValues(source["lastTried"], null);
	        this.dismissedAt = this.convertValues(source["dismissedAt"], null);
	        this.dismissedBy = source["dismissedBy"];
	        this.dismissedReason = source["dismissedReason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HeldImport {
	    id: string;
	    importId: string;
	    file: string;
	    // Go type: time
	    heldAt: any;
	    incoming: PatientSummary;
	    candidates: PatientSummary[];
	    reason: string;
	    counts: Record<string, number>;
	    labResults?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new HeldImport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.importId = source["importId"];
	        this.file = source["file"];
	        this.heldAt = this.convertValues(source["heldAt"], null);
	        this.incoming = this.convertValues(source["incoming"], PatientSummary);
	        this.candidates = this.convertValues(source["candidates"], PatientSummary);
	        this.reason = source["reason"];
	        this.counts = source["counts"];
	        this.labResults = source["labResults"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HeldRetry {
	    released: number;
	    stillHeld: number;
	
	    static createFrom(source: any = {}) {
	        return new HeldRetry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.released = source["released"];
	        this.stillHeld = source["stillHeld"];
	    }
	}
	
	
	export class ImportOutcome {
	    patientId: string;
	    created: boolean;
	    match?: string;
	    held?: boolean;
	    imported: Record<string, number>;
	    alreadyPresent: Record<string, number>;
	    filled?: string[];
	    kept?: string[];
	
	    static createFrom(source: any = {}) {
	        return new ImportOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.created = source["created"];
	        this.match = source["match"];
	        this.held = source["held"];
	        this.imported = source["imported"];
	        this.alreadyPresent = source["alreadyPresent"];
	        this.filled = source["filled"];
	        this.kept = source["kept"];
	    }
	}
	export class ImportProgress {
	    file: string;
	    filesDone: number;
	    files: number;
	    entries: number;
	    patients: number;
	    bytesDone: number;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.filesDone = source["filesDone"];
	        this.files = source["files"];
	        this.entries = source["entries"];
	        this.patients = source["patients"];
	        this.bytesDone = source["bytesDone"];
	        this.bytes = source["bytes"];
	    }
	}
	export class ImportReport {
	    id: string;
	    // Go type: time
	    startedAt: any;
	    // Go type: time
	    finishedAt: any;
	    by: string;
	    cancelled?: boolean;
	    files: FileReport[];
	    // Go type: struct { Created int "json:\"created\""; Matched int "json:\"matched\""; Held int "json:\"held\""; Failed int "json:\"failed\"" }
	    patients: any;
	    totals: Record<string, TypeCounts>;
	    entries: number;
	    seconds: number;
	    peakHeapBytes?: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.startedAt = this.convertValues(source["startedAt"], null);
	        this.finishedAt = this.convertValues(source["finishedAt"], null);
	        this.by = source["by"];
	        this.cancelled = source["cancelled"];
	        this.files = this.convertValues(source["files"], FileReport);
	        this.patients = this.convertValues(source["patients"], Object);
	        this.totals = this.convertValues(source["totals"], TypeCounts, true);
	        this.entries = source["entries"];
	        this.seconds = source["seconds"];
	        this.peakHeapBytes = source["peakHeapBytes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportedNote {
	    authorName: string;
	    organization?: string;
	    date: string;
	    mediaType?: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportedNote(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.authorName = source["authorName"];
	        this.organization = source["organization"];
	        this.date = source["date"];
	        this.mediaType = source["mediaType"];
	    }
	}
	export class Task {
	    id: string;
	    version: number;
	    text: string;
	    patientId?: string;
	    assignedTo: string;
	    due?: string;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: time
	    doneAt?: any;
	    doneBy?: string;
	
	    static createFrom(source: any = {}) {
	        return new Task(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.text = source["text"];
	        this.patientId = source["patientId"];
	        this.assignedTo = source["assignedTo"];
	        this.due = source["due"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.doneAt = this.convertValues(source["doneAt"], null);
	        this.doneBy = source["doneBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TaskItem {
	    task: Task;
	    patientName?: string;
	    patientMrn?: string;
	    assignedToName: string;
	    createdByName: string;
	    overdue: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TaskItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.task = this.convertValues(source["task"], Task);
	        this.patientName = source["patientName"];
	        this.patientMrn = source["patientMrn"];
	        this.assignedToName = source["assignedToName"];
	        this.createdByName = source["createdByName"];
	        this.overdue = source["overdue"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NoteToSign {
	    noteId: string;
	    encounterId: string;
	    title: string;
	    patient: PatientSummary;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new NoteToSign(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.noteId = source["noteId"];
	        this.encounterId = source["encounterId"];
	        this.title = source["title"];
	        this.patient = this.convertValues(source["patient"], PatientSummary);
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InboxCounts {
	    results: number;
	    notes: number;
	    conflicts: number;
	    held: number;
	    recalls: number;
	    tasks: number;
	    overdue: number;
	
	    static createFrom(source: any = {}) {
	        return new InboxCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.results = source["results"];
	        this.notes = source["notes"];
	        this.conflicts = source["conflicts"];
	        this.held = source["held"];
	        this.recalls = source["recalls"];
	        this.tasks = source["tasks"];
	        this.overdue = source["overdue"];
	    }
	}
	export class Inbox {
	    counts: InboxCounts;
	    notes: NoteToSign[];
	    tasks: TaskItem[];
	
	    static createFrom(source: any = {}) {
	        return new Inbox(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.counts = this.convertValues(source["counts"], InboxCounts);
	        this.notes = this.convertValues(source["notes"], NoteToSign);
	        this.tasks = this.convertValues(source["tasks"], TaskItem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class KeyStatus {
	    current: string;
	    // Go type: time
	    since?: any;
	    epochs: number;
	    concurrent: number;
	
	    static createFrom(source: any = {}) {
	        return new KeyStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.current = source["current"];
	        this.since = this.convertValues(source["since"], null);
	        this.epochs = source["epochs"];
	        this.concurrent = source["concurrent"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class MedicationChange {
	    dose: string;
	    unit: string;
	    frequency: string;
	    instructions: string;
	
	    static createFrom(source: any = {}) {
	        return new MedicationChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dose = source["dose"];
	        this.unit = source["unit"];
	        this.frequency = source["frequency"];
	        this.instructions = source["instructions"];
	    }
	}
	export class MedicationReview {
	    id: string;
	    version: number;
	    decision: string;
	    stopReason: string;
	    change?: MedicationChange;
	
	    static createFrom(source: any = {}) {
	        return new MedicationReview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.decision = source["decision"];
	        this.stopReason = source["stopReason"];
	        this.change = this.convertValues(source["change"], MedicationChange);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MedicationReconciliation {
	    patientId: string;
	    reviews: MedicationReview[];
	
	    static createFrom(source: any = {}) {
	        return new MedicationReconciliation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.reviews = this.convertValues(source["reviews"], MedicationReview);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MedicationRenewal {
	    previousId: string;
	    previousVersion: number;
	    medication: Medication;
	    overrideReason: string;
	
	    static createFrom(source: any = {}) {
	        return new MedicationRenewal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.previousId = source["previousId"];
	        this.previousVersion = source["previousVersion"];
	        this.medication = this.convertValues(source["medication"], Medication);
	        this.overrideReason = source["overrideReason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class MedicationStop {
	    id: string;
	    version: number;
	    date: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new MedicationStop(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.date = source["date"];
	        this.reason = source["reason"];
	    }
	}
	export class MergeSide {
	    patient: Patient;
	    records: number;
	    mergedFrom: PatientSummary[];
	
	    static createFrom(source: any = {}) {
	        return new MergeSide(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patient = this.convertValues(source["patient"], Patient);
	        this.records = source["records"];
	        this.mergedFrom = this.convertValues(source["mergedFrom"], PatientSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MergePreview {
	    survivor: MergeSide;
	    retired: MergeSide;
	    reason: string;
	    differences: string[];
	
	    static createFrom(source: any = {}) {
	        return new MergePreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.survivor = this.convertValues(source["survivor"], MergeSide);
	        this.retired = this.convertValues(source["retired"], MergeSide);
	        this.reason = source["reason"];
	        this.differences = source["differences"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class NewUser {
	    fullName: string;
	    username: string;
	    role: string;
	    passphrase: string;
	
	    static createFrom(source: any = {}) {
	        return new NewUser(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fullName = source["fullName"];
	        this.username = source["username"];
	        this.role = source["role"];
	        this.passphrase = source["passphrase"];
	    }
	}
	export class NewPractice {
	    practiceName: string;
	    admin: NewUser;
	
	    static createFrom(source: any = {}) {
	        return new NewPractice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.practiceName = source["practiceName"];
	        this.admin = this.convertValues(source["admin"], NewUser);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Signature {
	    signerId: string;
	    signerName: string;
	    signerRole: string;
	    // Go type: time
	    signedAt: any;
	    contentHash: string;
	
	    static createFrom(source: any = {}) {
	        return new Signature(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signerId = source["signerId"];
	        this.signerName = source["signerName"];
	        this.signerRole = source["signerRole"];
	        this.signedAt = this.convertValues(source["signedAt"], null);
	        this.contentHash = source["contentHash"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NoteSection {
	    key: string;
	    label: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new NoteSection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	        this.text = source["text"];
	    }
	}
	export class Note {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    encounterId: string;
	    templateId: string;
	    kind: string;
	    title: string;
	    sections: NoteSection[];
	    authorId: string;
	    authorName: string;
	    addendumTo?: string;
	    signature?: Signature;
	    imported?: ImportedNote;
	
	    static createFrom(source: any = {}) {
	        return new Note(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.encounterId = source["encounterId"];
	        this.templateId = source["templateId"];
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.sections = this.convertValues(source["sections"], NoteSection);
	        this.authorId = source["authorId"];
	        this.authorName = source["authorName"];
	        this.addendumTo = source["addendumTo"];
	        this.signature = this.convertValues(source["signature"], Signature);
	        this.imported = this.convertValues(source["imported"], ImportedNote);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	export class PatientSearch {
	    patients: PatientSummary[];
	    total: number;
	    unsearchable: boolean;
	    unreadable?: number;
	
	    static createFrom(source: any = {}) {
	        return new PatientSearch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patients = this.convertValues(source["patients"], PatientSummary);
	        this.total = source["total"];
	        this.unsearchable = source["unsearchable"];
	        this.unreadable = source["unreadable"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PatientVersion {
	    patient: Patient;
	    changeId: string;
	    version: number;
	    concurrent: boolean;
	    deviceName: string;
	    // Go type: time
	    changedAt: any;
	    changedBy: string;
	    changedByName: string;
	
	    static createFrom(source: any = {}) {
	        return new PatientVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patient = this.convertValues(source["patient"], Patient);
	        this.changeId = source["changeId"];
	        this.version = source["version"];
	        this.concurrent = source["concurrent"];
	        this.deviceName = source["deviceName"];
	        this.changedAt = this.convertValues(source["changedAt"], null);
	        this.changedBy = source["changedBy"];
	        this.changedByName = source["changedByName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Placeholder {
	    name: string;
	    label: string;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new Placeholder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.description = source["description"];
	    }
	}
	export class RegistryTargets {
	    a1cMonths: number;
	    a1cTarget: number;
	    systolic: number;
	    diastolic: number;
	
	    static createFrom(source: any = {}) {
	        return new RegistryTargets(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.a1cMonths = source["a1cMonths"];
	        this.a1cTarget = source["a1cTarget"];
	        this.systolic = source["systolic"];
	        this.diastolic = source["diastolic"];
	    }
	}
	export class Practice {
	    id: string;
	    name: string;
	    idleLockMinutes: number;
	    syncWarnDays: number;
	    address: string;
	    phone: string;
	    registry: RegistryTargets;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Practice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.idleLockMinutes = source["idleLockMinutes"];
	        this.syncWarnDays = source["syncWarnDays"];
	        this.address = source["address"];
	        this.phone = source["phone"];
	        this.registry = this.convertValues(source["registry"], RegistryTargets);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PracticeContact {
	    address: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new PracticeContact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.address = source["address"];
	        this.phone = source["phone"];
	    }
	}
	export class PracticeUnits {
	    weight: string;
	    height: string;
	    temperature: string;
	    dateOrder?: string;
	
	    static createFrom(source: any = {}) {
	        return new PracticeUnits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.weight = source["weight"];
	        this.height = source["height"];
	        this.temperature = source["temperature"];
	        this.dateOrder = source["dateOrder"];
	    }
	}
	
	
	export class Procedure {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    code: Coded;
	    status: string;
	    performed: string;
	    performedEnd?: string;
	    encounterId?: string;
	    reason?: string;
	    performer?: string;
	    bodySite?: string;
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new Procedure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.code = this.convertValues(source["code"], Coded);
	        this.status = source["status"];
	        this.performed = source["performed"];
	        this.performedEnd = source["performedEnd"];
	        this.encounterId = source["encounterId"];
	        this.reason = source["reason"];
	        this.performer = source["performer"];
	        this.bodySite = source["bodySite"];
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecallContact {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    ruleIds: string[];
	    date: string;
	    method: string;
	    outcome: string;
	    comment: string;
	    byName?: string;
	
	    static createFrom(source: any = {}) {
	        return new RecallContact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.ruleIds = source["ruleIds"];
	        this.date = source["date"];
	        this.method = source["method"];
	        this.outcome = source["outcome"];
	        this.comment = source["comment"];
	        this.byName = source["byName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecordVersion {
	    changeId: string;
	    version: number;
	    concurrent: boolean;
	    deviceName: string;
	    // Go type: time
	    changedAt: any;
	    changedBy: string;
	    changedByName: string;
	    content: string;
	
	    static createFrom(source: any = {}) {
	        return new RecordVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.changeId = source["changeId"];
	        this.version = source["version"];
	        this.concurrent = source["concurrent"];
	        this.deviceName = source["deviceName"];
	        this.changedAt = this.convertValues(source["changedAt"], null);
	        this.changedBy = source["changedBy"];
	        this.changedByName = source["changedByName"];
	        this.content = source["content"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Referrer {
	    userId: string;
	    name: string;
	    role: string;
	    licenceNumber: string;
	    npi: string;
	    practiceId: string;
	    practice: string;
	    address: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new Referrer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userId = source["userId"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.licenceNumber = source["licenceNumber"];
	        this.npi = source["npi"];
	        this.practiceId = source["practiceId"];
	        this.practice = source["practice"];
	        this.address = source["address"];
	        this.phone = source["phone"];
	    }
	}
	export class Referral {
	    patientId: string;
	    recipientName: string;
	    recipientOrganization: string;
	    recipientContact: string;
	    reason: string;
	    question: string;
	    id: string;
	    referrer: Referrer;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new Referral(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patientId = source["patientId"];
	        this.recipientName = source["recipientName"];
	        this.recipientOrganization = source["recipientOrganization"];
	        this.recipientContact = source["recipientContact"];
	        this.reason = source["reason"];
	        this.question = source["question"];
	        this.id = source["id"];
	        this.referrer = this.convertValues(source["referrer"], Referrer);
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class RestorePreview {
	    backup: BackupInfo;
	    check: BackupCheck;
	    unlocked: boolean;
	    replaces: string;
	    otherWorkstation: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RestorePreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backup = this.convertValues(source["backup"], BackupInfo);
	        this.check = this.convertValues(source["check"], BackupCheck);
	        this.unlocked = source["unlocked"];
	        this.replaces = source["replaces"];
	        this.otherWorkstation = source["otherWorkstation"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RestoreResult {
	    aside: string;
	    catchUp: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RestoreResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.aside = source["aside"];
	        this.catchUp = source["catchUp"];
	    }
	}
	
	export class ReviewItem {
	    result: Result;
	    patient: PatientSummary;
	
	    static createFrom(source: any = {}) {
	        return new ReviewItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.result = this.convertValues(source["result"], Result);
	        this.patient = this.convertValues(source["patient"], PatientSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RouteByDate {
	    nurse: string;
	    nurseName?: string;
	    days: number;
	
	    static createFrom(source: any = {}) {
	        return new RouteByDate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nurse = source["nurse"];
	        this.nurseName = source["nurseName"];
	        this.days = source["days"];
	    }
	}
	
	
	export class ServiceCode {
	    id: string;
	    version: number;
	    code: string;
	    description: string;
	    feeCents: number;
	    active: boolean;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	
	    static createFrom(source: any = {}) {
	        return new ServiceCode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.code = source["code"];
	        this.description = source["description"];
	        this.feeCents = source["feeCents"];
	        this.active = source["active"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	export class SuperbillLine {
	    code: string;
	    description: string;
	    feeCents: number;
	    units: number;
	
	    static createFrom(source: any = {}) {
	        return new SuperbillLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.description = source["description"];
	        this.feeCents = source["feeCents"];
	        this.units = source["units"];
	    }
	}
	export class Superbill {
	    id: string;
	    patientId: string;
	    version: number;
	    // Go type: time
	    createdAt: any;
	    createdBy: string;
	    // Go type: time
	    updatedAt: any;
	    updatedBy: string;
	    // Go type: EnteredInError
	    enteredInError?: any;
	    damaged?: string;
	    origin?: SourceRef;
	    encounterId: string;
	    date: string;
	    diagnoses: Coded[];
	    lines: SuperbillLine[];
	    totalCents: number;
	
	    static createFrom(source: any = {}) {
	        return new Superbill(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.patientId = source["patientId"];
	        this.version = source["version"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.createdBy = source["createdBy"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.updatedBy = source["updatedBy"];
	        this.enteredInError = this.convertValues(source["enteredInError"], null);
	        this.damaged = source["damaged"];
	        this.origin = this.convertValues(source["origin"], SourceRef);
	        this.encounterId = source["encounterId"];
	        this.date = source["date"];
	        this.diagnoses = this.convertValues(source["diagnoses"], Coded);
	        this.lines = this.convertValues(source["lines"], SuperbillLine);
	        this.totalCents = source["totalCents"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class TaskDone {
	    id: string;
	    version: number;
	    done: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TaskDone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.done = source["done"];
	    }
	}
	
	export class TemplateSection {
	    key: string;
	    label: string;
	    prompt: string;
	    text?: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateSection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	        this.prompt = source["prompt"];
	        this.text = source["text"];
	    }
	}
	export class Template {
	    id: string;
	    name: string;
	    kind: string;
	    sections: TemplateSection[];
	    builtIn: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Template(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.sections = this.convertValues(source["sections"], TemplateSection);
	        this.builtIn = source["builtIn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class TodayVisit {
	    encounterId: string;
	    start: string;
	    type: string;
	    reason: string;
	    clinicianName: string;
	    signed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TodayVisit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.encounterId = source["encounterId"];
	        this.start = source["start"];
	        this.type = source["type"];
	        this.reason = source["reason"];
	        this.clinicianName = source["clinicianName"];
	        this.signed = source["signed"];
	    }
	}
	export class TodayPatient {
	    patient: PatientSummary;
	    visits: TodayVisit[];
	    // Go type: time
	    openedAt?: any;
	
	    static createFrom(source: any = {}) {
	        return new TodayPatient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.patient = this.convertValues(source["patient"], PatientSummary);
	        this.visits = this.convertValues(source["visits"], TodayVisit);
	        this.openedAt = this.convertValues(source["openedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class User {
	    id: string;
	    username: string;
	    fullName: string;
	    role: string;
	    active: boolean;
	    licenceNumber: string;
	    npi: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.fullName = source["fullName"];
	        this.role = source["role"];
	        this.active = source["active"];
	        this.licenceNumber = source["licenceNumber"];
	        this.npi = source["npi"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class VitalRanges {
	    bmiFromYears: number;
	    sources: Record<string, string>;
	    bands: AgeBand[];
	
	    static createFrom(source: any = {}) {
	        return new VitalRanges(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.bmiFromYears = source["bmiFromYears"];
	        this.sources = source["sources"];
	        this.bands = this.convertValues(source["bands"], AgeBand);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VitalReading {
	    value: number;
	    unit?: string;
	
	    static createFrom(source: any = {}) {
	        return new VitalReading(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.unit = source["unit"];
	    }
	}
	
	export class VitalsEntry {
	    systolic?: VitalReading;
	    diastolic?: VitalReading;
	    heartRate?: VitalReading;
	    respiratoryRate?: VitalReading;
	    temperature?: VitalReading;
	    spo2?: VitalReading;
	    weight?: VitalReading;
	    height?: VitalReading;
	    pain?: VitalReading;
	    headCircumference?: VitalReading;
	
	    static createFrom(source: any = {}) {
	        return new VitalsEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.systolic = this.convertValues(source["systolic"], VitalReading);
	        this.diastolic = this.convertValues(source["diastolic"], VitalReading);
	        this.heartRate = this.convertValues(source["heartRate"], VitalReading);
	        this.respiratoryRate = this.convertValues(source["respiratoryRate"], VitalReading);
	        this.temperature = this.convertValues(source["temperature"], VitalReading);
	        this.spo2 = this.convertValues(source["spo2"], VitalReading);
	        this.weight = this.convertValues(source["weight"], VitalReading);
	        this.height = this.convertValues(source["height"], VitalReading);
	        this.pain = this.convertValues(source["pain"], VitalReading);
	        this.headCircumference = this.convertValues(source["headCircumference"], VitalReading);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class WorkstationStatus {
	    hasPractice: boolean;
	    practiceName: string;
	    deviceId: string;
	    signedIn?: User;
	    needsFirstSignIn: boolean;
	
	    static createFrom(source: any = {}) {
	        return new WorkstationStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hasPractice = source["hasPractice"];
	        this.practiceName = source["practiceName"];
	        this.deviceId = source["deviceId"];
	        this.signedIn = this.convertValues(source["signedIn"], User);
	        this.needsFirstSignIn = source["needsFirstSignIn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace codes {
	
	export class Code {
	    system: string;
	    code: string;
	    display: string;
	    detail?: string;
	    billable?: boolean;
	    status?: string;
	    kind?: string;
	    ingredients?: Code[];
	    unit?: string;
	    source?: string;
	
	    static createFrom(source: any = {}) {
	        return new Code(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.system = source["system"];
	        this.code = source["code"];
	        this.display = source["display"];
	        this.detail = source["detail"];
	        this.billable = source["billable"];
	        this.status = source["status"];
	        this.kind = source["kind"];
	        this.ingredients = this.convertValues(source["ingredients"], Code);
	        this.unit = source["unit"];
	        this.source = source["source"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Version {
	    name: string;
	    release: string;
	    entries: number;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new Version(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.release = source["release"];
	        this.entries = source["entries"];
	        this.note = source["note"];
	    }
	}

}

export namespace growth {
	
	export class Chart {
	    id: string;
	    title: string;
	    ages: string;
	    file: string;
	    axis: string;
	    measure: string;
	    xLabel: string;
	    xUnit: string;
	    yLabel: string;
	    yUnit: string;
	
	    static createFrom(source: any = {}) {
	        return new Chart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.ages = source["ages"];
	        this.file = source["file"];
	        this.axis = source["axis"];
	        this.measure = source["measure"];
	        this.xLabel = source["xLabel"];
	        this.xUnit = source["xUnit"];
	        this.yLabel = source["yLabel"];
	        this.yUnit = source["yUnit"];
	    }
	}
	export class XY {
	    x: number;
	    y: number;
	
	    static createFrom(source: any = {}) {
	        return new XY(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.x = source["x"];
	        this.y = source["y"];
	    }
	}
	export class Curve {
	    percentile: number;
	    points: XY[];
	
	    static createFrom(source: any = {}) {
	        return new Curve(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.percentile = source["percentile"];
	        this.points = this.convertValues(source["points"], XY);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Score {
	    z: number;
	    percentile: number;
	
	    static createFrom(source: any = {}) {
	        return new Score(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.z = source["z"];
	        this.percentile = source["percentile"];
	    }
	}
	export class Point {
	    takenAt: string;
	    ageMonths: number;
	    x: number;
	    y: number;
	    score?: Score;
	    percentileText?: string;
	    problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new Point(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.takenAt = source["takenAt"];
	        this.ageMonths = source["ageMonths"];
	        this.x = source["x"];
	        this.y = source["y"];
	        this.score = this.convertValues(source["score"], Score);
	        this.percentileText = source["percentileText"];
	        this.problem = source["problem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Series {
	    chart: Chart;
	    sex: string;
	    reference: string;
	    attribution: string;
	    xMin: number;
	    xMax: number;
	    curves: Curve[];
	    points: Point[];
	
	    static createFrom(source: any = {}) {
	        return new Series(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chart = this.convertValues(source["chart"], Chart);
	        this.sex = source["sex"];
	        this.reference = source["reference"];
	        this.attribution = source["attribution"];
	        this.xMin = source["xMin"];
	        this.xMax = source["xMax"];
	        this.curves = this.convertValues(source["curves"], Curve);
	        this.points = this.convertValues(source["points"], Point);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

