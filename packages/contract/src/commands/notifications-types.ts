/** Notification shapes: `RuntimeAPIs.notifications`. */
export interface NotificationPayload {
  title?: string;
  body?: string;
  tag?: string;
}

export interface NotificationsAPI {
  notifyAgentCompletion(payload?: NotificationPayload): Promise<boolean>;
  canNotify?(): boolean | Promise<boolean>;
}
