/** The policy CSV contract (kept in a module of its own so command specs can import it cheaply). */

/** The columns of `stock simulate`'s output, in order. */
export const POLICY_COLUMNS = [
  'sku',
  'lead_time_mean',
  'lead_time_sd',
  'demand_mean',
  'demand_sd',
  'safety_stock',
  'reorder_point',
  'order_up_to',
  'service_level_target',
  'cycle_service_level',
  'fill_rate',
  'paths',
] as const;
